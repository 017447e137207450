using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>
/// InceptionTime for time series classification, (B, C, T) series to (B, classes) logits. Its layers are indexed as
/// the reference's <c>nn.Sequential</c>: <c>[0..Depth-1]</c> the Inception blocks (each keeps the length T), then the
/// pool, the flatten and the linear layer; with the default depth, layer 5 is the last block, output (B, 128, T),
/// the layer the reference explains.
/// </summary>
public sealed class InceptionTime : Module<torch.Tensor, torch.Tensor>
{
    [ComponentName(Name = "blocks")]
    private readonly ModuleList<InceptionBlock> _blocks;
    [ComponentName(Name = "pool")]
    private readonly Module<torch.Tensor, torch.Tensor> _pool;
    [ComponentName(Name = "flatten")]
    private readonly Flatten _flatten;
    [ComponentName(Name = "head")]
    private readonly Linear _head;

    private static long _created; // networks made so far, for CreationOrder

    /// <param name="inputChannels">C, the channels of each input series.</param>
    /// <param name="classCount">The number of classes (outputs).</param>
    /// <param name="options">The network's shape; null for the reference's.</param>
    public InceptionTime(int inputChannels, int classCount, InceptionTimeOptions? options = null) : base(nameof(InceptionTime))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputChannels, NetworkLimits.MaxChannels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, NetworkLimits.MaxClasses);
        Options = options ?? new InceptionTimeOptions();
        Options.Validate();
        if (NetworkLimits.Parameters(inputChannels, classCount, Options) is var parameters and > NetworkLimits.MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(options), parameters, $"the network would have about {parameters:N0} parameters, more than {NetworkLimits.MaxParameters:N0}.");
        TorchRuntime.DisableNnpack(); // else even kernels flood standard error on CPUs NNPACK does not support
        InputChannels = inputChannels;
        ClassCount = classCount;

        // TorchSharp's Conv1d leaves a temporary tensor behind when it initialises its bias; a scope around the
        // construction disposes it (parameters are never owned by a scope).
        using var construction = torch.NewDisposeScope();
        using var generator = TorchRuntime.LockGenerator(); // the initial weights come from libtorch's global generator
        var paper = Options.Variant != InceptionTimeVariant.Fastai; // tsai's network is the paper's with three changes
        var tsai = Options.Variant == InceptionTimeVariant.Tsai;
        var width = Options.BlockChannels;
        var blocks = new InceptionBlock[Options.Depth];
        var residualChannels = inputChannels;
        for (var d = 0; d < Options.Depth; d++)
        {
            var blockInput = d == 0 ? inputChannels : width;
            var inception = new InceptionModule(
                blockInput, Options.Filters, Options.KernelSizes,
                bottleneckSize: tsai ? (blockInput != Options.Filters ? Options.BottleneckSize : 0)
                    : paper || d > 0 ? Options.BottleneckSize : 0,
                bottleneckBias: !paper,
                Options.ExplicitPaddingFromKernelSize,
                Options.GradientConvolutionFrom,
                Options.MixedGradientConvolutionFrom,
                singleChannelBottleneck: tsai,
                activate: !tsai || d % 3 != 2);
            Shortcut? shortcut = null;
            if (d % 3 == 2)
            {
                var source = paper ? residualChannels : blockInput;
                shortcut = new Shortcut(source, width, convolve: !tsai || source != width);
                residualChannels = width;
            }
            blocks[d] = new InceptionBlock(inception, shortcut);
        }
        _blocks = ModuleList(blocks);
        _pool = paper ? AdaptiveAvgPool1d(1) : new AdaptiveConcatPool1d();
        _flatten = Flatten();
        _head = Linear(paper ? width : 2 * width, classCount);
        RegisterComponents();
    }

    /// <summary>C, the channels the model expects.</summary>
    public int InputChannels { get; }

    /// <summary>The number of classes the model outputs.</summary>
    public int ClassCount { get; }

    /// <summary>The network's shape.</summary>
    public InceptionTimeOptions Options { get; }

    /// <summary>Indexable layers: Depth blocks, the pool, the flatten and the linear layer (9 for the default depth).</summary>
    public int LayerCount => _blocks.Count + 3;

    /// <summary>The index of the last Inception block (5 by default): the deepest layer that keeps the time axis.</summary>
    public int LastBlock => _blocks.Count - 1;

    /// <summary>
    /// Whether the blocks fold each BatchNorm into the convolutions in front of it when the network is in eval mode and
    /// no gradient is taken (inference, not explanations; an exact re-parameterisation, computed at each pass, the
    /// weights untouched). True by
    /// default: the forward pass measured 1.04-1.09× as fast folded (benchmarks/README.md, inference); false runs the
    /// BatchNorms as such.
    /// </summary>
    internal bool FoldsBatchNorm
    {
        get => _blocks[0].FoldBatchNorm;
        set
        {
            foreach (var block in _blocks)
                block.FoldBatchNorm = value;
        }
    }

    /// <summary>
    /// Whether the modules convolve their branches together by FFT in float32 prediction (folded) and training, where it
    /// gains (<see cref="SpectralConvolution"/>). By default on CPUs with AVX-512; false keeps the direct convolutions.
    /// </summary>
    internal bool SpectralBranches
    {
        get => _blocks[0].SpectralBranches;
        set
        {
            foreach (var block in _blocks)
                block.SpectralBranches = value;
        }
    }

    /// <summary>Whether float32 training convolves any module's branches by FFT for series of <paramref name="length"/> steps.</summary>
    internal bool TrainsBranchesByFft(long length) => _blocks.Any(block => block.TrainsBranchesByFft(length));

    /// <summary>
    /// The type the convolutions compute in. Float32 by default; bfloat16 is mixed precision: parameters, BatchNorm,
    /// the head and every module's output in training stay float32, the convolutions take bfloat16 copies of their
    /// input and weights (2-8× faster per convolution on a CPU with AVX512-BF16/AMX, measured: benchmarks/README.md,
    /// precision); a folded prediction keeps the blocks' outputs in bfloat16, and the pool widens them.
    /// The learner sets it for the training steps of a fit (<c>LearnerOptions.Precision</c>; validation stays float32),
    /// the classifier for a prediction (<c>TimeSeriesClassifier.Precision</c>); both set it back to float32 after.
    /// </summary>
    internal torch.ScalarType ConvolutionType
    {
        get => _blocks[0].ConvolutionType;
        set
        {
            foreach (var block in _blocks)
                block.ConvolutionType = value;
        }
    }

    /// <summary>
    /// Held while the network computes for a caller: a fit, a prediction, an explanation (see
    /// <see cref="Inference.EvalMode"/>). Each switches the network's training flag and BatchNorm folding for its
    /// duration, so threads sharing the network take turns (each call already uses every core libtorch is given).
    /// </summary>
    internal Lock UseLock { get; } = new();

    /// <summary>The order networks were made in: locks over several are taken in this order, so none waits in a circle.</summary>
    internal long CreationOrder { get; } = Interlocked.Increment(ref _created);

    /// <summary>The number of trainable values (421,666 for 1 channel and 2 classes with the default shape).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Layer <paramref name="index"/> as a module, like the reference's <c>model[i]</c>.</summary>
    public Module this[int index] => CheckLayer(index) switch
    {
        var i when i < _blocks.Count => _blocks[i],
        var i when i == _blocks.Count => _pool,
        var i when i == _blocks.Count + 1 => _flatten,
        _ => _head,
    };

    /// <summary>A short human description of layer <paramref name="index"/>, e.g. "Inception block 5 + shortcut".</summary>
    public string DescribeLayer(int index)
    {
        var i = CheckLayer(index);
        var pool = Options.Variant != InceptionTimeVariant.Fastai ? "global average pool" : "concat pool (max, average)";
        return i < _blocks.Count ? $"Inception block {i}{(_blocks[i].HasShortcut ? " + shortcut" : "")}"
            : i == _blocks.Count ? pool
            : i == _blocks.Count + 1 ? "flatten"
            : "linear";
    }

    /// <summary>(B, C, T) series to (B, classes) logits (before softmax).</summary>
    public override torch.Tensor forward(torch.Tensor input) => Forward(input, captureLayer: -1, out _);

    /// <summary>
    /// The logits, and the output of layer <paramref name="captureLayer"/> (what CAM methods explain), still attached
    /// to the autograd graph when gradients are on. Both belong to the caller's dispose scope.
    /// </summary>
    public torch.Tensor Forward(torch.Tensor input, int captureLayer, out torch.Tensor? activation)
    {
        CheckInput(input);
        if (captureLayer != -1)
            CheckLayer(captureLayer);

        using var scope = torch.NewDisposeScope();
        torch.Tensor? captured = null;
        var (x, residual) = (input, input); // (B, C, T); the paper's shortcut source: the last shortcut's output, first the input
        RunLayers(ref x, ref residual, 0, LayerCount - 1, captureLayer, ref captured);
        activation = captured is null ? null : scope.MoveToOuter(captured);
        return scope.MoveToOuter(x); // (B, classes)
    }

    /// <summary>
    /// The logits computed from the output of <paramref name="layer"/> as a new leaf that requires gradients
    /// (<paramref name="activation"/>, (B, C', T') or (B, K)): the layers up to it run without gradients, so a backward
    /// pass from the logits goes through the layers after it only. Explanations that take gradients with respect to a
    /// layer (Grad-CAM and its kin) need nothing more, and the forward pass then costs about what prediction costs (a
    /// batch of Grad-CAM at layer 5 1.5× as fast, benchmarks/README.md, inference). The layers compute exactly what
    /// <see cref="Forward"/> computes with gradients on (BatchNorms not folded). Both results belong to the caller's
    /// dispose scope.
    /// </summary>
    internal torch.Tensor ForwardFromLayer(torch.Tensor input, int layer, out torch.Tensor activation)
    {
        CheckInput(input);
        CheckLayer(layer);
        using var scope = torch.NewDisposeScope();
        var (x, residual) = (input, input);
        torch.Tensor? unused = null;
        var folds = FoldsBatchNorm;
        FoldsBatchNorm = false;
        try
        {
            using var noGrad = torch.no_grad();
            RunLayers(ref x, ref residual, 0, layer, -1, ref unused);
        }
        finally
        {
            FoldsBatchNorm = folds;
        }
        using var gradientMode = torch.enable_grad();
        var leaf = x.detach().requires_grad_(true);
        // A block with a shortcut passes its output on as the next shortcut's source too: that use depends on the leaf.
        // An earlier source does not (it comes before the layer), so it enters as a constant.
        residual = ReferenceEquals(residual, x) ? leaf : residual.detach();
        x = leaf;
        RunLayers(ref x, ref residual, layer + 1, LayerCount - 1, -1, ref unused);
        activation = scope.MoveToOuter(leaf);
        return scope.MoveToOuter(x);
    }

    /// <summary>
    /// Layers <paramref name="from"/>..<paramref name="to"/> on <paramref name="x"/>: blocks (with the paper's
    /// <paramref name="residual"/>, updated by each shortcut), pool, flatten, linear; the output of layer
    /// <paramref name="capture"/> goes to <paramref name="captured"/>.
    /// </summary>
    private void RunLayers(ref torch.Tensor x, ref torch.Tensor residual, int from, int to, int capture, ref torch.Tensor? captured)
    {
        var paper = Options.Variant != InceptionTimeVariant.Fastai;
        for (var i = from; i <= to; i++)
        {
            if (i < _blocks.Count)
            {
                var block = _blocks[i];
                x = block.call(x, paper ? residual : x); // (B, 4F, T)
                if (block.HasShortcut)
                    residual = x;
            }
            else if (i == _blocks.Count)
                x = _pool.call(LowPrecision.Widen(x)); // (B, 2·4F or 4F, 1); a bfloat16 prediction's blocks end in bfloat16
            else if (i == _blocks.Count + 1)
                x = _flatten.call(x); // (B, K)
            else
                x = _head.call(x);    // (B, classes)
            if (i == capture)
                captured = x;
        }
    }

    private void CheckInput(torch.Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 3 || input.shape[1] != InputChannels)
            throw new ArgumentException($"expected input (batch, {InputChannels} channels, length), found ({string.Join(", ", input.shape)})", nameof(input));
    }

    private int CheckLayer(int index) =>
        index >= 0 && index < LayerCount
            ? index
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"expected a layer from 0 to {LayerCount - 1} (0..{LastBlock} the Inception blocks, {LastBlock + 1} the pool, {LastBlock + 2} flatten, {LastBlock + 3} linear).");
}
