using System.Runtime.Intrinsics.X86;

namespace Chronoscope.Models;

/// <summary>The shape of an <see cref="InceptionTime"/> network.</summary>
public sealed record InceptionTimeOptions
{
    /// <summary>Inception blocks. Defaults to 6, as the reference; blocks 2, 5, 8... end with a shortcut.</summary>
    public int Depth { get; init; } = 6;

    /// <summary>Filters per branch; a block outputs 4 × this many channels. Defaults to 32, as the reference.</summary>
    public int Filters { get; init; } = 32;

    /// <summary>
    /// Kernel sizes of the three convolution branches. Defaults to 39, 19, 9, as the reference (fastai derives them from
    /// 40 by halving and making them odd). Odd sizes pad k/2 on each side; even sizes (the paper's 40, 20, 10) pad
    /// "same": (k-1)/2 before, the rest after.
    /// </summary>
    public IReadOnlyList<int> KernelSizes { get; init; } = [39, 19, 9];

    /// <summary>Channels of a block's output: a branch per kernel size and the pool branch, each of <see cref="Filters"/>.</summary>
    internal int BlockChannels => (KernelSizes.Count + 1) * Filters;

    /// <summary>Channels of the 1×1 bottleneck in front of the branches; 0 disables it. Defaults to 32, as the reference.</summary>
    public int BottleneckSize { get; init; } = 32;

    /// <summary>Which network family. Defaults to <see cref="InceptionTimeVariant.Fastai"/>, the reference.</summary>
    public InceptionTimeVariant Variant { get; init; } = InceptionTimeVariant.Fastai;

    /// <summary>
    /// Pads the input explicitly and convolves without padding for kernels of at least this size. oneDNN then picks a
    /// direct kernel instead of im2col+GEMM: same numbers, faster (measured ~2× forward for k=39; it slows k=19's
    /// backward, hence the threshold). Defaults to 39; <see cref="int.MaxValue"/> turns it off. It applies wherever a
    /// gradient can be taken; float32 prediction with BatchNorm folded pads every kernel size explicitly (forward
    /// only, every size is faster so).
    /// </summary>
    public int ExplicitPaddingFromKernelSize { get; init; } = 39;

    /// <summary>
    /// From this kernel size, a float32 branch computes its gradients (training, and explanations that take them) as
    /// forward convolutions of explicitly padded tensors instead of libtorch's backward pass: the same gradients, summed
    /// in another order. Defaults to null: 19 on a CPU without AVX-512, where oneDNN's backward passes go through
    /// im2col and a matrix product (on an AVX2 AMD EPYC, (64, 32, 500) with 32 filters: the input gradient 1.5-2.5× as
    /// fast at kernels 39 and 19, the weight gradient 1.3-1.6× at 39 and alike at 19, kernel 9 slower; an epoch's
    /// training phase 10-14% shorter; docs/speed.md); none on a CPU with AVX-512, where it was not measured. <see cref="int.MaxValue"/>
    /// turns it off.
    /// </summary>
    public int? GradientConvolutionFromKernelSize { get; init; }

    /// <summary>The kernel size <see cref="GradientConvolutionFromKernelSize"/> comes to on this CPU.</summary>
    internal int GradientConvolutionFrom => GradientConvolutionFromKernelSize ?? (Avx512F.IsSupported ? int.MaxValue : 19);

    /// <summary>
    /// From this kernel size, a branch that trains in bfloat16 (mixed precision) computes its input gradient as a
    /// forward convolution (the output gradient correlated with the flipped kernel) while libtorch's backward pass
    /// computes its weight gradient: the same gradients, summed in another order. Defaults to null: 19 on a CPU with
    /// AVX512-BF16 but without AMX, where oneDNN's bfloat16 backward passes go through im2col and a matrix product (on
    /// an AMD EPYC, Zen 5, (64, 32, 500) with 32 filters: the input gradient 3-4× as fast at kernel 39, 2.5-3× at 19,
    /// alike at 9; an epoch's training phase 9% shorter; docs/speed.md); none on a CPU with AMX, where it was not
    /// measured. <see cref="int.MaxValue"/> turns it off.
    /// </summary>
    public int? MixedGradientConvolutionFromKernelSize { get; init; }

    /// <summary>The kernel size <see cref="MixedGradientConvolutionFromKernelSize"/> comes to on this CPU.</summary>
    internal int MixedGradientConvolutionFrom => MixedGradientConvolutionFromKernelSize ?? (TorchRuntime.NativeBFloat16 && !TorchRuntime.AmxBFloat16 ? 19 : int.MaxValue);

    /// <summary>The paper's network: kernels 40, 20, 10 with "same" padding, bias-free bottlenecks, three-module shortcuts, average-pool head.</summary>
    public static InceptionTimeOptions Paper { get; } = new() { Variant = InceptionTimeVariant.Paper, KernelSizes = [40, 20, 10] };

    /// <summary>True when networks of both options have the same parameters (shapes and names); the padding trick does not count.</summary>
    internal bool HasSameWeightsAs(InceptionTimeOptions other) =>
        Depth == other.Depth && Filters == other.Filters && BottleneckSize == other.BottleneckSize && Variant == other.Variant
        && KernelSizes.SequenceEqual(other.KernelSizes);

    internal void Validate()
    {
        if (KernelSizes is null)
            throw new ArgumentNullException(nameof(KernelSizes), "InceptionTimeOptions.KernelSizes: expected kernel sizes, e.g. [39, 19, 9].");
        if (!Enum.IsDefined(Variant))
            throw new ArgumentOutOfRangeException(nameof(Variant), Variant, $"expected one of {string.Join(", ", Enum.GetNames<InceptionTimeVariant>())}.");
        if (Depth is < 1 or > NetworkLimits.MaxDepth)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, $"InceptionTime needs 1 to {NetworkLimits.MaxDepth} blocks.");
        if (Filters is < 1 or > NetworkLimits.MaxFilters)
            throw new ArgumentOutOfRangeException(nameof(Filters), Filters, $"Filters must be 1 to {NetworkLimits.MaxFilters}.");
        if (BottleneckSize is < 0 or > NetworkLimits.MaxBottleneck)
            throw new ArgumentOutOfRangeException(nameof(BottleneckSize), BottleneckSize, $"BottleneckSize must be 0 (none) to {NetworkLimits.MaxBottleneck}.");
        if (KernelSizes.Count is 0 or > NetworkLimits.MaxKernels || KernelSizes.Any(k => k is < 1 or > NetworkLimits.MaxKernelSize))
            throw new ArgumentOutOfRangeException(nameof(KernelSizes), string.Join(",", KernelSizes), $"expected 1 to {NetworkLimits.MaxKernels} kernel sizes, each 1 to {NetworkLimits.MaxKernelSize}.");
    }
}
