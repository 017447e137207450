using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// What a map function of your own gets for one item (the reference's <c>func_cam</c> arguments): the series as the
/// model sees it, the class to explain, the model and layer, and the reduction asked for.
/// </summary>
public sealed class MapRequest
{
    internal MapRequest(torch.Tensor series, int target, InceptionTime model, int layer, Reduction reduction)
    {
        Series = series;
        Target = target;
        Model = model;
        Layer = layer;
        Reduction = reduction;
    }

    /// <summary>The normalized series, (C, T); it belongs to the caller's dispose scope.</summary>
    public torch.Tensor Series { get; }

    /// <summary>The class index to explain.</summary>
    public int Target { get; }

    /// <summary>The network, in eval mode.</summary>
    public InceptionTime Model { get; }

    /// <summary>The layer to explain.</summary>
    public int Layer { get; }

    public Reduction Reduction { get; }

    /// <summary>
    /// The layer's activations A and the gradient G of the target's logit with respect to them, each (C', T') as
    /// row-major floats, computed with gradients on (the model's own gradient buffers are not touched).
    /// </summary>
    public (float[] Activations, float[] Gradients, int Channels, int Length) ActivationsAndGradients()
    {
        using var scope = torch.NewDisposeScope();
        var (activations, gradients) = LayerGradients.Compute(Model, Series.unsqueeze(0), Layer, torch.tensor(new long[] { Target }, device: Series.device));
        var shape = activations.shape;
        return (activations.cpu().data<float>().ToArray(), gradients.cpu().data<float>().ToArray(), (int)shape[1], (int)shape[2]);
    }
}
