namespace Chronoscope.Models;

/// <summary>
/// The largest network shapes Chronoscope builds. Each is far beyond any published InceptionTime (the reference: depth 6,
/// 32 filters, kernels up to 40, the archive's widest problem 1,345 channels and most classes 60) and small enough that
/// the network fits in a few GB; a value beyond one is a mistake or a crafted file, refused before anything is allocated.
/// </summary>
public static class NetworkLimits
{
    /// <summary>Networks in an ensemble: at most 100 (InceptionTime's gain saturates around 5).</summary>
    public const int MaxMembers = 100;

    /// <summary>Inception blocks: at most 100.</summary>
    public const int MaxDepth = 100;

    /// <summary>Filters per branch: at most 1,024.</summary>
    public const int MaxFilters = 1024;

    /// <summary>A convolution's kernel size: at most 10,000 time steps.</summary>
    public const int MaxKernelSize = 10_000;

    /// <summary>Convolution branches (kernel sizes): at most 16.</summary>
    public const int MaxKernels = 16;

    /// <summary>Bottleneck channels: at most 1,024.</summary>
    public const int MaxBottleneck = 1024;

    /// <summary>Input channels: at most 10,000.</summary>
    public const int MaxChannels = 10_000;

    /// <summary>Classes: at most 100,000.</summary>
    public const int MaxClasses = 100_000;

    /// <summary>Series length: at most 100,000,000 time steps.</summary>
    public const int MaxSeriesLength = 100_000_000;

    /// <summary>Parameters of the whole network: at most 100 million (400 MB of weights, four times that to train with Adam).</summary>
    public const long MaxParameters = 100_000_000;

    /// <summary>
    /// The parameters an <see cref="InceptionTime"/> of this shape would have, counted from the shape alone (an upper
    /// bound within a few per cent: BatchNorm and biases are counted generously), so a network too large to build is
    /// refused before any memory is taken.
    /// </summary>
    public static long Parameters(int inputChannels, int classCount, InceptionTimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var paper = options.Variant == InceptionTimeVariant.Paper;
        long filters = options.Filters;
        long width = (options.KernelSizes.Count + 1) * filters;
        long kernelSum = options.KernelSizes.Sum(k => (long)k);
        long total = 0;
        long residual = inputChannels;
        for (var d = 0; d < options.Depth; d++)
        {
            long input = d == 0 ? inputChannels : width;
            long bottleneck = (paper || d > 0) ? options.BottleneckSize : 0;
            var branchInput = bottleneck > 0 ? bottleneck : input;
            total += (input + 1) * bottleneck + branchInput * filters * kernelSum + (input + 1) * filters + 4 * width;
            if (d % 3 == 2)
            {
                total += ((paper ? residual : input) + 1) * width + 4 * width;
                residual = width;
            }
            if (total > MaxParameters * 100)
                return total; // far beyond the limit already; stop before the sum could overflow
        }
        return total + ((paper ? 1 : 2) * width + 1) * classCount;
    }
}
