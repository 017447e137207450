using Chronoscope.Models;

namespace Chronoscope.Inference;

/// <summary>
/// Puts networks in eval mode for a scope and gives each its training flag back at the end, holding each network's
/// <see cref="InceptionTime.UseLock"/> meanwhile: a prediction and an explanation from two threads over one network
/// took turns with its flags, and one thread gave the network its training flag back while another was computing,
/// which then normalized by its batch (probabilities off by 0.46 in a test).
/// </summary>
internal sealed class EvalMode : IDisposable
{
    private readonly InceptionTime[] _networks; // in creation order, the order their locks are taken
    private readonly bool[] _wasTraining;

    public EvalMode(IReadOnlyList<InceptionTime> networks)
    {
        _networks = [.. networks.Distinct().OrderBy(network => network.CreationOrder)];
        foreach (var network in _networks)
            network.UseLock.Enter();
        _wasTraining = [.. _networks.Select(network => network.training)];
        foreach (var network in _networks)
            network.eval();
    }

    public void Dispose()
    {
        for (var n = _networks.Length - 1; n >= 0; n--)
        {
            _networks[n].train(_wasTraining[n]);
            _networks[n].UseLock.Exit();
        }
    }
}
