using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>
/// Parallel convolutions over an optional 1×1 bottleneck plus a max-pool branch, concatenated in the order
/// [kernel 0, kernel 1, ..., pool], then BatchNorm and ReLU. Keeps the series length.
/// </summary>
internal sealed class InceptionModule : Module<torch.Tensor, torch.Tensor>
{
    [ComponentName(Name = "bottleneck")]
    private readonly Conv1d? _bottleneck;
    [ComponentName(Name = "convs")]
    private readonly ModuleList<Conv1d> _convs;
    [ComponentName(Name = "maxpool")]
    private readonly MaxPool1d _maxPool;
    [ComponentName(Name = "pool_conv")]
    private readonly Conv1d _poolConv;
    [ComponentName(Name = "bn")]
    private readonly BatchNorm1d _batchNorm;

    private readonly (long Before, long After)[] _samePadding; // each branch's, to keep the length (SamePadding)
    private readonly bool[] _padExplicitly; // in training: pad, then convolve without padding (see Padding)
    private readonly bool[] _gradientConvolution; // in float32, when a gradient will be taken: GradientConvolution
    private readonly bool[] _mixedGradientConvolution; // in bfloat16, when the input's gradient will be taken: InputGradientConvolution
    private readonly int _filters;

    // libtorch 2.10's oneDNN computes wrong input gradients (20-90% off, sometimes NaN) for convolutions with kernel > 1
    // whose output channels are not a multiple of 16 (measured on this AVX-512 CPU; forward and weight gradients are
    // right), and wrong input gradients in float32 and wrong sums in bfloat16 (up to 6 times the largest value, or NaN:
    // it reads lanes it never wrote) over more than 16 input channels that are no multiple of 16 (block 0 of 24- or
    // 30-channel data). Such branches convolve as unfold + matrix product instead, with the same weights.
    private readonly bool[] _byMatrixProduct;

    private readonly bool _activate;

    private readonly SpectralConvolution? _spectral; // the branches by FFT in float32, where the kernels pay for it

    // singleChannelBottleneck: also put the bottleneck in front of a one-channel input (tsai's rule).
    // activate: end with ReLU; false leaves the BatchNorm output (tsai's module before a shortcut).
    public InceptionModule(int inputChannels, int filters, IReadOnlyList<int> kernelSizes, int bottleneckSize, bool bottleneckBias, int explicitPaddingFrom, int gradientConvolutionFrom,
        int mixedGradientConvolutionFrom, bool singleChannelBottleneck = false, bool activate = true)
        : base(nameof(InceptionModule))
    {
        _activate = activate;
        _filters = filters;
        var useBottleneck = bottleneckSize > 0 && (inputChannels > 1 || singleChannelBottleneck);
        if (useBottleneck)
            _bottleneck = Conv1d(inputChannels, bottleneckSize, 1, bias: bottleneckBias);
        var branchInput = useBottleneck ? bottleneckSize : inputChannels;

        _byMatrixProduct = [.. kernelSizes.Select(k => k > 1 && (filters % 16 != 0 || Pointwise.PartialChannelBlock(branchInput)))];
        _samePadding = [.. kernelSizes.Select(SamePadding)];
        _padExplicitly = new bool[kernelSizes.Count];
        _gradientConvolution = [.. kernelSizes.Select((k, i) => k >= gradientConvolutionFrom && !_byMatrixProduct[i])];
        _mixedGradientConvolution = [.. kernelSizes.Select((k, i) => k >= mixedGradientConvolutionFrom && !_byMatrixProduct[i])];
        var convs = new Conv1d[kernelSizes.Count];
        for (var i = 0; i < kernelSizes.Count; i++)
        {
            var k = kernelSizes[i];
            var (before, after) = _samePadding[i];
            _padExplicitly[i] = k >= explicitPaddingFrom || before != after || _byMatrixProduct[i];
            convs[i] = Conv1d(branchInput, filters, k, padding: _padExplicitly[i] ? 0 : before, bias: false);
        }
        _convs = ModuleList(convs);
        if (SpectralConvolution.Pays(kernelSizes))
            _spectral = new SpectralConvolution(kernelSizes);
        _maxPool = MaxPool1d(3, stride: 1, padding: 1);
        _poolConv = Conv1d(inputChannels, filters, 1, bias: false);
        _batchNorm = BatchNorm1d((kernelSizes.Count + 1) * filters);
        RegisterComponents();
    }

    /// <summary>
    /// In eval mode without gradients, fold the BatchNorm into the branch convolutions (see <see cref="BatchNormFolding"/>): the same
    /// function, one pass over the activations fewer; the weights themselves are never changed. True by default
    /// (a 4-9% faster forward pass, benchmarks/README.md, <c>inference</c>).
    /// </summary>
    public bool FoldBatchNorm { get; set; } = true;

    /// <summary>
    /// In float32 prediction (folded) and training, convolve the branches together by FFT where
    /// <see cref="SpectralConvolution"/> gains; explanations (eval mode with gradients) keep the direct convolutions.
    /// By default on CPUs with AVX-512, where it was measured (docs/speed.md); false keeps the direct convolutions.
    /// </summary>
    public bool SpectralBranches { get; set; } = Avx512F.IsSupported;

    /// <summary>Whether float32 training on the CPU convolves the branches by FFT for series of <paramref name="length"/> steps.</summary>
    internal bool TrainsBranchesByFft(long length) =>
        SpectralBranches && _spectral is not null && _convs[0].weight!.device_type == DeviceType.CPU
        && SpectralConvolution.Fits(_convs[0].weight!.shape[1], length); // the branches' input channels

    /// <summary>
    /// The type the convolutions compute in: float32 (the default), or bfloat16 for mixed precision (see
    /// <see cref="ForwardMixed"/>, folded or not).
    /// </summary>
    public torch.ScalarType ConvolutionType { get; set; } = torch.ScalarType.Float32;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _spectral?.Dispose();
        base.Dispose(disposing);
    }

    public override torch.Tensor forward(torch.Tensor input) // (B, C, T) -> (B, 4F, T)
    {
        var folded = BatchNormFolding.Applies(FoldBatchNorm, training);
        if (ConvolutionType != torch.ScalarType.Float32)
            return ForwardMixed(input, folded);
        // A scope per module frees its temporaries as soon as it returns (autograd keeps what it needs).
        using var scope = torch.NewDisposeScope();
        // Folded: each branch's F channels of the BatchNorm become that branch's convolution's scale and bias.
        var (scale, shift) = folded ? BatchNormFolding.Affine(_batchNorm) : (null, null); // (4F), (4F)
        var bottled = _bottleneck is null ? input : Pointwise.Convolve(input, _bottleneck.weight!, _bottleneck.bias); // (B, bottleneck, T)
        var branches = new List<torch.Tensor>(_convs.Count + 1); // (B, F, T) each, or all convolutions' (B, kF, T) at once
        var spectral = SpectralBranches && _spectral is not null && (folded || training) && SpectralConvolution.Applies(bottled);
        if (spectral && folded)
            branches.Add(_spectral!.Convolve(bottled, [.. _convs.Select((conv, i) => BatchNormFolding.Fold(conv.weight!, scale!, shift!, i * _filters))]));
        else if (spectral)
            branches.Add(_spectral!.ConvolveForTraining(bottled, [.. _convs.Select(conv => conv.weight!)]));
        else
        {
            for (var i = 0; i < _convs.Count; i++)
                branches.Add(Branch(i, bottled, folded, scale, shift));
        }
        var pooled = MaxPool(input); // (B, C, T)
        torch.Tensor normalized; // (B, 4F, T)
        if (folded)
        {
            var (weight, bias) = BatchNormFolding.Fold(_poolConv.weight!, scale!, shift!, _convs.Count * _filters);
            branches.Add(Pointwise.Convolve(pooled, weight, bias)); // (B, F, T)
            normalized = torch.cat(branches, 1);
        }
        else
        {
            branches.Add(Pointwise.Convolve(pooled, _poolConv.weight!)); // (B, F, T)
            normalized = BatchNormPass.Forward(_batchNorm, torch.cat(branches, 1));
        }
        // Folded, nothing is kept for a backward pass: the concatenation is rectified where it is.
        var output = !_activate ? normalized : folded ? normalized.relu_() : functional.relu(normalized);
        return scope.MoveToOuter(output);
    }

    /// <summary>Float32 branch <paramref name="i"/>'s convolution of <paramref name="bottled"/>, (B, C, T) to (B, F, T); folded with the BatchNorm's <paramref name="scale"/> and <paramref name="shift"/>.</summary>
    private torch.Tensor Branch(int i, torch.Tensor bottled, bool folded, torch.Tensor? scale, torch.Tensor? shift)
    {
        if (!folded && TakesGradientConvolution(i, bottled))
            return GradientConvolution.Convolve(bottled, _convs[i].weight!, _samePadding[i]);
        var (before, after, own) = Padding(i, everyBranch: folded);
        var padded = before + after > 0 ? functional.pad(bottled, [before, after]) : bottled;
        if (!folded)
            return _byMatrixProduct[i] ? ConvolveByMatrixProduct(padded, _convs[i].weight!) : _convs[i].call(padded);
        var (weight, bias) = BatchNormFolding.Fold(_convs[i].weight!, scale!, shift!, i * _filters); // (F, C, k), (F)
        return _byMatrixProduct[i]
            ? ConvolveByMatrixProduct(padded, weight).add(bias.unsqueeze(1), HeldScalars.One)
            : functional.conv1d(padded, weight, bias, padding: own);
    }

    /// <summary>
    /// Mixed precision: the input and the convolution weights cast to <see cref="ConvolutionType"/> (the parameters stay
    /// float32 and receive float32 gradients through the casts), the branches concatenated and cast back, BatchNorm and
    /// ReLU in float32. <paramref name="folded"/> (prediction): the BatchNorm folded into the weights and biases before
    /// the cast, and the module stays in the low type (its ReLU is exact there), so the next module takes its output
    /// without a cast; the network casts back to float32 before its pool.
    /// </summary>
    private torch.Tensor ForwardMixed(torch.Tensor input, bool folded) // (B, C, T) -> (B, 4F, T)
    {
        using var scope = torch.NewDisposeScope();
        var type = ConvolutionType;
        var (scale, shift) = folded ? BatchNormFolding.Affine(_batchNorm) : (null, null); // (4F), (4F)
        (torch.Tensor Weight, torch.Tensor? Bias) Parameters(Conv1d conv, int branch) // (F, C, k), (F) folded, in the low type
        {
            if (!folded)
                return (conv.weight!.to(type), null);
            var (weight, bias) = BatchNormFolding.Fold(conv.weight!, scale!, shift!, branch * _filters);
            return (weight.to(type), bias.to(type));
        }
        var low = input.to(type); // (B, C, T); already so after a folded module
        var bottled = _bottleneck is null ? low : Pointwise.Convolve(low, _bottleneck.weight!.to(type), _bottleneck.bias?.to(type)); // (B, bottleneck, T)
        var branches = new torch.Tensor[_convs.Count + 1];
        for (var i = 0; i < _convs.Count; i++)
        {
            var (weight, bias) = Parameters(_convs[i], i);
            if (!folded && TakesInputGradientConvolution(i, bottled))
            {
                branches[i] = InputGradientConvolution.Convolve(bottled, weight, _samePadding[i]);
                continue;
            }
            var (before, after, own) = Padding(i, everyBranch: false);
            var padded = before + after > 0 ? functional.pad(bottled, [before, after]) : bottled;
            branches[i] = !_byMatrixProduct[i] ? functional.conv1d(padded, weight, bias, padding: own) // (B, F, T)
                : bias is null ? ConvolveByMatrixProduct(padded, weight)
                : ConvolveByMatrixProduct(padded, weight).add_(bias.unsqueeze(1), HeldScalars.One);
        }
        var (poolWeight, poolBias) = Parameters(_poolConv, _convs.Count);
        branches[^1] = Pointwise.Convolve(MaxPoolLow(input, type), poolWeight, poolBias); // (B, F, T)
        var joined = torch.cat(branches, 1); // (B, 4F, T) in the low type
        if (folded)
            return scope.MoveToOuter(_activate ? joined.relu_() : joined);
        var normalized = BatchNormPass.Forward(_batchNorm, joined.to(torch.ScalarType.Float32));
        return scope.MoveToOuter(_activate ? functional.relu(normalized) : normalized);
    }

    /// <summary>
    /// The max-pool branch's pool (kernel 3, stride 1, padding 1). When a gradient will be taken, libtorch 2.10 pools
    /// with indices for the backward pass, and that forward kernel is slow (a scalar loop: ~48 ms for (64, 128, 500) on two
    /// cores, against ~2 ms without indices, the largest single cost of a training step). On the CPU the pool and its
    /// gradient are one vectorized pass each, keeping a byte per step for the backward pass (<see cref="PoolWindow"/>);
    /// elsewhere the indices come from whole-tensor comparisons of the three shifted steps (<see cref="PoolIndex"/>, a
    /// dozen passes), and a gather picks the values, whose backward is the same scatter of the gradient. The same
    /// values and indices: the first of equal maxima wins, as in libtorch (ties are common after a ReLU). Only a NaN
    /// input is pooled differently off the CPU (libtorch passes the window's last NaN on, the comparisons may pass it
    /// over); the convolution branches, which see the same steps, carry it into the module's output all the same.
    /// </summary>
    internal torch.Tensor MaxPool(torch.Tensor input) // (B, C, T) -> (B, C, T)
    {
        if (!input.requires_grad || !torch.is_grad_enabled())
            return _maxPool.call(input);
        if (PoolWindow.Applies(input))
            return PoolWindow.Pool(input);
        using var index = PoolIndex(input); // (B, C, T)
        return input.gather(2, index);
    }

    /// <summary>
    /// The max pool in the low <paramref name="type"/> of mixed precision: a bfloat16 prediction's activations in one
    /// pass of ours (<see cref="PoolWindow.PoolBFloat16"/>); otherwise pooled in float32 and then cast, the same values as
    /// pooling in the low type (rounding keeps the order), where libtorch's own bfloat16 pool is ~9× slower (18
    /// against 2 ms for (64, 128, 500)).
    /// </summary>
    private torch.Tensor MaxPoolLow(torch.Tensor input, torch.ScalarType type) // (B, C, T) -> (B, C, T)
    {
        if (PoolWindow.AppliesToBFloat16(input) && !(input.requires_grad && torch.is_grad_enabled()))
            return PoolWindow.PoolBFloat16(input, TorchRuntime.Threads);
        return MaxPool(LowPrecision.Widen(input)).to(type);
    }

    /// <summary>The input step each step of the max pool takes, (B, C, T) to (B, C, T) (int64, on the input's device), by whole-tensor comparisons.</summary>
    private static torch.Tensor PoolIndex(torch.Tensor input)
    {
        var length = input.shape[2];
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // Padded so that no index points outside the series whatever the values: NaN before (it loses every
        // comparison), -inf after (it loses the comparisons the first-maximum rule makes with it as the later step).
        var padded = input.new_empty(input.shape[0], input.shape[1], length + 2); // (B, C, T + 2)
        padded.narrow(2, 1, length).copy_(input);
        padded.narrow(2, 0, 1).fill_(HeldScalars.NaN);
        padded.narrow(2, length + 1, 1).fill_(HeldScalars.NegativeInfinity);
        var (before, at, after) = (padded.narrow(2, 0, length), padded.narrow(2, 1, length), padded.narrow(2, 2, length));
        var notBefore = (before >= at).logical_and_(before >= after).logical_not_(); // the window's max is not its first step
        var notAt = (after > at).logical_and_(notBefore);                          // nor its middle one
        var offset = notBefore.to(torch.ScalarType.Byte).add_(notAt.to(torch.ScalarType.Byte), HeldScalars.One); // 0, 1 or 2
        return scope.MoveToOuter(offset.to(torch.ScalarType.Int64).add_(torch.arange(-1L, length - 1, device: input.device), HeldScalars.One));
    }

    /// <summary>
    /// The steps to pad before and after for a kernel of size <paramref name="kernel"/> to keep the length: k/2 on each
    /// side for odd k; for even k, PyTorch's <c>padding='same'</c>: (k-1)/2 before, the extra step after.
    /// </summary>
    internal static (long Before, long After) SamePadding(int kernel) => ((kernel - 1) / 2, kernel / 2);

    /// <summary>
    /// The padding branch <paramref name="branch"/> applies before its convolution and the convolution's own. With
    /// <paramref name="everyBranch"/> (float32 and folded: no gradient is taken) every branch pads explicitly, and
    /// oneDNN's forward convolution takes its direct kernel for every kernel size (one (64, 32, 500) convolution with 32
    /// filters on an AVX2 CPU: kernel 19 11 against 20 ms, kernel 9 5.6 against 7.5 ms); otherwise only where
    /// <see cref="InceptionTimeOptions.ExplicitPaddingFromKernelSize"/> says, since the backward pass of the smaller
    /// kernels can be slower so (and bfloat16's kernels were not measured per size).
    /// </summary>
    private (long Before, long After, long Own) Padding(int branch, bool everyBranch)
    {
        var (before, after) = _samePadding[branch];
        return everyBranch || _padExplicitly[branch] ? (before, after, 0) : (0, 0, before);
    }

    /// <summary>Whether branch <paramref name="branch"/> convolves <paramref name="input"/> by <see cref="GradientConvolution"/>: where its kernel size says so and a gradient will be taken.</summary>
    private bool TakesGradientConvolution(int branch, torch.Tensor input) =>
        _gradientConvolution[branch] && torch.is_grad_enabled() && (input.requires_grad || _convs[branch].weight!.requires_grad);

    /// <summary>Whether bfloat16 branch <paramref name="branch"/> convolves <paramref name="input"/> by <see cref="InputGradientConvolution"/>: where its kernel size says so and the input's gradient will be taken.</summary>
    private bool TakesInputGradientConvolution(int branch, torch.Tensor input) =>
        _mixedGradientConvolution[branch] && torch.is_grad_enabled() && input.requires_grad;

    /// <summary>A convolution without padding as windows × weights: (B, C, T+k-1) and (F, C, k) to (B, F, T).</summary>
    internal static torch.Tensor ConvolveByMatrixProduct(torch.Tensor input, torch.Tensor weight)
    {
        var (batch, channels, kernel, filters) = (input.shape[0], input.shape[1], weight.shape[2], weight.shape[0]);
        var windows = input.unfold(2, kernel, 1);                                      // (B, C, T, k)
        var steps = windows.shape[2];
        var columns = windows.permute(0, 2, 1, 3).reshape(batch, steps, channels * kernel); // (B, T, C·k)
        return columns.matmul(weight.reshape(filters, channels * kernel).t()).transpose(1, 2); // (B, F, T)
    }
}
