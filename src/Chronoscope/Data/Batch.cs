using TorchSharp;

namespace Chronoscope.Data;

/// <summary>
/// Series ready for the model. The tensors belong to the dispose scope that was current when the batch was made
/// (or to the caller, who disposes the batch); they are contiguous copies, not views of the loader's data.
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(torch.Tensor inputs, torch.Tensor? targets, IReadOnlyList<int> indices)
    {
        Inputs = inputs;
        Targets = targets;
        Indices = indices;
    }

    /// <summary>The normalized series, (B, C, L) float32.</summary>
    public torch.Tensor Inputs { get; }

    /// <summary>The class indices, (B) int64, or null for unlabelled data.</summary>
    public torch.Tensor? Targets { get; }

    /// <summary>Which series of the loader's dataset each row is.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>B, the number of series.</summary>
    public int Count => Indices.Count;

    public void Dispose()
    {
        Inputs.Dispose();
        Targets?.Dispose();
    }
}
