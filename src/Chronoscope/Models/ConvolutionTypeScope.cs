using TorchSharp;

namespace Chronoscope.Models;

/// <summary>Sets the type networks' convolutions compute in for a scope and gives each its own back at the end.</summary>
internal sealed class ConvolutionTypeScope : IDisposable
{
    private readonly IReadOnlyList<InceptionTime> _networks;
    private readonly torch.ScalarType[] _before;

    public ConvolutionTypeScope(IReadOnlyList<InceptionTime> networks, torch.ScalarType type)
    {
        _networks = networks;
        _before = [.. networks.Select(n => n.ConvolutionType)];
        foreach (var network in networks)
            network.ConvolutionType = type;
    }

    public void Dispose()
    {
        for (var n = 0; n < _networks.Count; n++)
            _networks[n].ConvolutionType = _before[n];
    }
}
