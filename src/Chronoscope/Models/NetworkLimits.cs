namespace Chronoscope.Models;

/// <summary>
/// The largest network shapes Chronoscope builds. Each is far beyond any published InceptionTime (the reference: depth 6,
/// 32 filters, kernels up to 40, the archive's widest problem 1,345 channels and most classes 60) and small enough that
/// the network fits in a few GB; a value beyond one is a mistake or a crafted file, refused before anything is allocated.
/// </summary>
public static class NetworkLimits
{
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
}
