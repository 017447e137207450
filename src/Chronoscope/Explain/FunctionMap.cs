using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>A map method made of a user's function, called item by item.</summary>
internal sealed class FunctionMap : MapMethod
{
    private readonly Func<MapRequest, IReadOnlyList<float>> _map;

    public FunctionMap(string name, Func<MapRequest, IReadOnlyList<float>> map, bool usesReduction)
        : base(string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("a map function needs a display name", nameof(name)) : name,
               usesGradients: false, usesReduction)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
    }

    internal IReadOnlyList<float> Call(MapRequest request) => _map(request);

    internal override torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction) =>
        throw new InvalidOperationException("a function map runs item by item through Call");
}
