using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Models;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// Untrained InceptionTime classifiers small enough to explain a whole GunPoint file in a fraction of a second: three
/// blocks (the last with a shortcut) of 16 filters, kernels 9, 5, 3. Layers 0-2 are the blocks, 3 the pool, 4 the
/// flatten, 5 the linear head. Weights come from a fixed seed.
/// </summary>
/// <remarks>
/// 16 filters, not fewer: the libtorch CPU build this project uses computes conv1d input gradients wrongly (off by
/// 20-90%, sometimes NaN, varying run to run) when a convolution with a kernel longer than 1 has an output channel
/// count that is not a multiple of 16 (measured: 4, 8, 20, 24 wrong; 16, 32, 48 right; forward passes and weight
/// gradients right), so Grad-CAM maps of such a network below its last block would be noise.
/// </remarks>
internal static class SmallModels
{
    public static InceptionTimeOptions Shape { get; } = new() { Depth = 3, Filters = 16, KernelSizes = [9, 5, 3], BottleneckSize = 16 };

    /// <summary>The smallest network worth training in a test of the training path (not of maps): one block of 4 filters.</summary>
    public static InceptionTimeOptions Tiny { get; } = new() { Depth = 1, Filters = 4, KernelSizes = [5, 3], BottleneckSize = 4 };

    /// <summary>A GunPoint classifier (classes 1 and 2), z-scored with the TRAIN file's statistics, so its inputs differ from the values as read.</summary>
    public static TimeSeriesClassifier GunPoint(int seed = 7)
    {
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        var model = Seeded.Build(seed, () => new InceptionTime(1, 2, Shape));
        return new TimeSeriesClassifier(model, ["1", "2"], Normalizer.Fit(Normalization.PerChannel, train), MissingValues.Interpolate, 150, "GunPoint");
    }
}
