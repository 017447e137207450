using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// The control every score is read against: U[0, 1) values per channel and step, seeded per item, blind to the model.
/// A method whose faithfulness or localisation score is not clearly better than this one's has not shown anything.
/// </summary>
internal sealed class RandomMap() : AttributionMethod("Random")
{
    private const int Stream = 5;

    internal override Inference.MemoryPass Pass => Inference.MemoryPass.Prediction; // forward passes only

    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets)
    {
        long b = inputs.shape[0], c = inputs.shape[1], t = inputs.shape[2];
        return (torch.tensor(context.Random(Stream, (int)(c * t), gaussian: false), [b, c, t], device: inputs.device), null);
    }
}
