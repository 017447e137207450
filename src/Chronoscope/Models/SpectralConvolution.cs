using TorchSharp;
using static TorchSharp.torch;

namespace Chronoscope.Models;

/// <summary>
/// An Inception module's branch convolutions, each with 'same' padding over the same input, computed together by the
/// FFT: the branch kernels are placed in one kernel as long as the longest (shorter ones centred as their padding
/// puts them), input and kernel are transformed to length n ≥ T + ⌊K/2⌋ (no wrap-around reaches the T steps kept),
/// multiplied per frequency (a complex matrix product over the channels) and transformed back. The cost hardly
/// depends on the kernel sizes: for (64, 32, 500) and kernels 39, 19, 9 (96 filters), 8-10 ms against 13-16 ms for
/// the three direct convolutions on two cores (AVX-512), and closer to the exact result in float32 (largest error
/// against float64 4e-6 against 1.5e-5). Used in float32 for folded prediction (<see cref="Convolve"/>) and training
/// (<see cref="ConvolveForTraining"/>, gradients by autograd through the transforms: a FordA-size epoch, 3,600 series
/// of 500, 26.7 s against 38.6 s with the direct convolutions, one run each, and 28.6-30.2 s in bfloat16 on an AMD EPYC Zen 5, hence
/// <see cref="Training.Learner.Precision"/>'s choice of float32 there), on CPUs with AVX-512 (<see cref="InceptionModule.SpectralBranches"/>).
/// With oneDNN, ATen and MKL held to AVX2 on the same CPU it also gained (11.1-11.9 against 14.6-16.3 s with the
/// gradient convolutions), but an earlier, strided variant was slower on a real AVX2 CPU, so there it is not the
/// default until measured. Not inside bfloat16 training (the branches in float32 there: 31.6 against 30.2 s a
/// FordA-size epoch), nor for explanations, which keep the convolutions the reference computes (see
/// <see cref="BatchNormFolding.Applies"/>).
/// </summary>
internal sealed class SpectralConvolution : IDisposable
{
    /// <summary>
    /// Input channels at least: with one input channel (the first module) the direct convolutions took 1.0-1.4 ms for
    /// (64, 1, 500) against 5.4-5.6 by FFT (whose transform back of 96 channels alone costs more); with 8, 4.5-5.8
    /// against 6.4-6.9 ms (measured).
    /// </summary>
    public const long MinimumChannels = 16;

    /// <summary>Series length at most: measured up to 4,000 steps (124 against 138 ms at batch 64), where the gain is thin.</summary>
    public const long MaximumLength = 4096;

    /// <summary>
    /// Kernel taps over all branches at least: the transforms and the product cost about as much as 45 taps of
    /// direct convolution (computed from the timings above: 9.4 ms against 14 ms for 67 taps, at 32 channels and
    /// length 500); the default kernels have 67.
    /// </summary>
    public const int MinimumTaps = 60;

    /// <summary>Frequencies transposed together after the product (see <see cref="Multiply"/>): 8-32 measured alike, 4 and 64 slower.</summary>
    private const long FrequencyBlock = 16;

    private readonly long[] _offsets; // where each branch's kernel starts in the joint kernel
    private readonly int _kernel;     // the joint kernel's length: the longest branch's
    private readonly long _after;     // the joint kernel's 'same' padding after the series, ⌊K/2⌋ (not less than before)
    private readonly Lock _lock = new();
    private KeptSpectrum? _kept; // the last joint kernel, its transform length and its spectrum

    private sealed record KeptSpectrum(Tensor Weights, long Size, Tensor Values) : IDisposable
    {
        public void Dispose()
        {
            Weights.Dispose();
            Values.Dispose();
        }
    }

    /// <summary>For branches with kernels <paramref name="kernelSizes"/> and the padding <see cref="InceptionModule.SamePadding"/>.</summary>
    public SpectralConvolution(IReadOnlyList<int> kernelSizes)
    {
        _kernel = kernelSizes.Max();
        var (before, after) = InceptionModule.SamePadding(_kernel);
        _after = after;
        // Branch k's tap j multiplies x[t + j - before_k]; in the joint kernel it is tap j + before - before_k.
        _offsets = [.. kernelSizes.Select(k => before - InceptionModule.SamePadding(k).Before)];
    }

    /// <summary>Whether kernels <paramref name="kernelSizes"/> are worth the transform at all (see <see cref="MinimumTaps"/>).</summary>
    public static bool Pays(IReadOnlyList<int> kernelSizes) => kernelSizes.Sum() >= MinimumTaps;

    /// <summary>Whether <paramref name="input"/> (B, C, T) is convolved this way: float32 on the CPU, of the channels and length measured to gain.</summary>
    public static bool Applies(Tensor input) =>
        input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU && Fits(input.shape[1], input.shape[2]);

    /// <summary>Whether an input of <paramref name="channels"/> and <paramref name="length"/> is of the channels and length measured to gain.</summary>
    public static bool Fits(long channels, long length) => channels >= MinimumChannels && length <= MaximumLength;

    /// <summary>
    /// (B, C, T) convolved by each branch's weight (F_i, C, k_i) and bias (F_i), padded to keep the length, to
    /// (B, ΣF_i, T): the branch outputs concatenated in order. Without gradients: the kernel's spectrum is kept while
    /// the weights stay exactly the same (compared at every call, so it is never stale), since transforming it costs
    /// about as much as the convolution.
    /// </summary>
    public Tensor Convolve(Tensor input, IReadOnlyList<(Tensor Weight, Tensor Bias)> branches)
    {
        var size = TransformSize(input.shape[2] + _after);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Multiply(input, KernelSpectrum(branches, size), size, cat([.. branches.Select(b => b.Bias)])));
    }

    /// <summary>
    /// The same for training: bias-free weights (F_i, C, k_i), the kernel transformed afresh at every call, so the
    /// gradients reach them.
    /// </summary>
    public Tensor ConvolveForTraining(Tensor input, IReadOnlyList<Tensor> weights)
    {
        var size = TransformSize(input.shape[2] + _after);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Multiply(input, Transform(Joint(weights), size), size, bias: null));
    }

    /// <summary>The branches' weights (F_i, C, k_i) as one kernel (ΣF, C, K), each where its padding puts it.</summary>
    private Tensor Joint(IReadOnlyList<Tensor> weights) =>
        cat([.. weights.Select((w, i) => nn.functional.pad(w, [_offsets[i], _kernel - w.shape[2] - _offsets[i]]))], 0);

    /// <summary>The joint kernel (ΣF, C, K) reversed and transformed to <paramref name="size"/>: (n/2+1, C, ΣF).</summary>
    private static Tensor Transform(Tensor joint, long size) => fft.rfft(joint.flip(2), size, dim: 2).permute(2, 1, 0).contiguous();

    /// <summary>(B, C, T) by the kernel's spectrum (n/2+1, C, ΣF) with an optional bias (ΣF), to (B, ΣF, T).</summary>
    private Tensor Multiply(Tensor input, Tensor kernel, long size, Tensor? bias)
    {
        var length = input.shape[2];
        var signal = fft.rfft(input, size, dim: 2).permute(2, 0, 1).contiguous(); // (n/2+1, B, C)
        var product = signal.bmm(kernel);                                           // (n/2+1, B, ΣF)
        if (bias is not null)
        {
            // A bias is a constant: all of it at frequency 0, where the inverse transform divides by n.
            using Scalar n = size;
            product.select(0, 0).add_(bias.mul(n), HeldScalars.One);
        }
        // The inverse transform reads (B, ΣF, n/2+1) contiguous twice as fast as the permuted product, and a plain
        // permuted copy strides across the whole product for each element it writes; a block of frequencies at a time it
        // stays in cache: (64, 96, 271) transposed in 1.0-1.1 ms against 2.2-2.6 ms, and the inverse 1.9-2.1 ms against
        // 4.4-4.7 (measured, AVX-512). Split and cat, so the backward pass is blocked too.
        var frequencyLast = cat([.. product.split(FrequencyBlock, 0).Select(block => block.permute(1, 2, 0))], 2);
        var output = fft.irfft(frequencyLast, size, dim: 2);                         // (B, ΣF, n)
        // Step t of the output is step t + ⌊K/2⌋ of the full (linear) convolution with the reversed kernel.
        return output.narrow(2, _after, length);
    }

    /// <summary>The joint kernel, reversed, transformed to <paramref name="size"/>: (n/2+1, C, ΣF), the last one's if the weights have not changed.</summary>
    private Tensor KernelSpectrum(IReadOnlyList<(Tensor Weight, Tensor Bias)> branches, long size)
    {
        var joint = Joint([.. branches.Select(b => b.Weight)]); // (ΣF, C, K)
        lock (_lock)
        {
            if (_kept is { } kept && kept.Size == size && kept.Weights.shape.SequenceEqual(joint.shape) && kept.Weights.eq(joint).all().item<bool>())
                return kept.Values.detach();
            var values = Transform(joint, size);
            _kept?.Dispose();
            _kept = new KeptSpectrum(joint.DetachFromDisposeScope(), size, values.DetachFromDisposeScope());
            return values.detach();
        }
    }

    /// <summary>The transform length: the least n ≥ <paramref name="minimum"/> of the form 2^a·3^b·5^c with a ≥ 2 (odd and prime factors above 5 measured slower).</summary>
    internal static long TransformSize(long minimum)
    {
        for (var n = Math.Max(4, minimum); ; n++)
        {
            var rest = n;
            var twos = 0;
            for (; rest % 2 == 0; twos++)
                rest /= 2;
            foreach (var prime in (ReadOnlySpan<int>)[3, 5])
            {
                while (rest % prime == 0)
                    rest /= prime;
            }
            if (rest == 1 && twos >= 2)
                return n;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _kept?.Dispose();
            _kept = null;
        }
    }
}
