using Chronoscope.Models;

namespace Chronoscope.Inference;

/// <summary>
/// How many series one forward pass of prediction or explanation takes: the batch asked for, fewer where the series
/// are so long that the pass's activations would outgrow memory. Prediction with the default network held about 6 KB
/// per series step (16 series of 100,000 steps in one pass peaked at 9.4 GB; 64 of them would need about 37 GB, more
/// than a 24 GB machine has); in passes of this size the same 16 peaked at 1.7 GB.
/// </summary>
internal static class SeriesPerPass
{
    /// <summary>Series × time steps in one pass of the default network (Inception blocks 128 channels wide) at most: FordA's 64 × 500 are 32,000.</summary>
    public const long MaxSteps = 262_144;

    /// <summary>
    /// <paramref name="requested"/> series, or fewer (at least one) where <paramref name="length"/> steps through
    /// <paramref name="network"/> would exceed <see cref="MaxSteps"/>, scaled by the network's width against the default's
    /// and by the memory a step of <paramref name="pass"/> takes against prediction's
    /// (<see cref="MemoryBudget.BytesPerSeriesStep"/>): input gradients take five or six times prediction's, so their
    /// passes hold a fifth or a sixth of its steps and about the same memory.
    /// </summary>
    public static int Bound(int requested, long length, InceptionTime network, MemoryPass pass = MemoryPass.Prediction)
    {
        var rates = MemoryBudget.Rates;
        var steps = MaxSteps * 128 / Math.Max(128, network.Options.BlockChannels) * rates.Prediction / rates.Of(pass);
        return (int)Math.Clamp(steps / Math.Max(1, length), 1, Math.Max(1, requested));
    }
}
