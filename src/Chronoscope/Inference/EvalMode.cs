using TorchSharp;

namespace Chronoscope.Inference;

/// <summary>Puts networks in eval mode for a scope and gives each its training flag back at the end.</summary>
internal sealed class EvalMode : IDisposable
{
    private readonly IReadOnlyList<torch.nn.Module> _modules;
    private readonly bool[] _wasTraining;

    public EvalMode(IReadOnlyList<torch.nn.Module> modules)
    {
        _modules = modules;
        _wasTraining = [.. modules.Select(m => m.training)];
        foreach (var module in modules)
            module.eval();
    }

    public void Dispose()
    {
        for (var m = 0; m < _modules.Count; m++)
            _modules[m].train(_wasTraining[m]);
    }
}
