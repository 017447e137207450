using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>The residual connection: ReLU(x + BN(Conv1×1(source))), or ReLU(x + BN(source)) without the convolution.</summary>
internal sealed class Shortcut : Module<torch.Tensor, torch.Tensor, torch.Tensor>
{
    [ComponentName(Name = "conv")]
    private readonly Conv1d? _conv;
    [ComponentName(Name = "bn")]
    private readonly BatchNorm1d _batchNorm;

    // convolve: false for tsai's BatchNorm-only shortcut, where the channels already match.
    public Shortcut(int inputChannels, int outputChannels, bool convolve = true) : base(nameof(Shortcut))
    {
        if (convolve)
            _conv = Conv1d(inputChannels, outputChannels, 1, bias: false);
        _batchNorm = BatchNorm1d(outputChannels);
        RegisterComponents();
    }

    /// <summary>In eval mode without gradients, fold the BatchNorm into the convolution (see <see cref="BatchNormFolding"/>). True by default.</summary>
    public bool FoldBatchNorm { get; set; } = true;

    /// <summary>The type the convolution computes in: float32 (the default) or bfloat16 for mixed precision.</summary>
    public torch.ScalarType ConvolutionType { get; set; } = torch.ScalarType.Float32;

    public override torch.Tensor forward(torch.Tensor input, torch.Tensor source) // (B, F, T), (B, C, T) -> (B, F, T)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor normalized; // (B, F, T)
        if (_conv is not null && BatchNormFolding.Applies(FoldBatchNorm, training))
        {
            var (scale, shift) = BatchNormFolding.Affine(_batchNorm);
            var (weight, bias) = BatchNormFolding.Fold(_conv.weight!, scale, shift, 0); // (F, C, 1), (F)
            // In the low type for a bfloat16 prediction, as the folded module's output it is added to.
            normalized = ConvolutionType == torch.ScalarType.Float32
                ? Pointwise.Convolve(source, weight, bias)
                : Pointwise.Convolve(source.to(ConvolutionType), weight.to(ConvolutionType), bias.to(ConvolutionType));
        }
        else if (_conv is not null && ConvolutionType != torch.ScalarType.Float32 && source.dtype == torch.ScalarType.Float32)
        {
            // Mixed precision: the 1×1 convolution in the low type, BatchNorm in float32 (see InceptionModule).
            var projected = Pointwise.Convolve(source.to(ConvolutionType), _conv.weight!.to(ConvolutionType));
            normalized = BatchNormPass.Forward(_batchNorm, projected.to(torch.ScalarType.Float32));
        }
        else
        {
            // (tsai's shortcut without convolution normalizes a folded bfloat16 module's output in float32)
            normalized = BatchNormPass.Forward(_batchNorm, _conv is null ? LowPrecision.Widen(source) : Pointwise.Convolve(source, _conv.weight!));
        }
        return scope.MoveToOuter(input.add(normalized, HeldScalars.One).relu_());
    }
}
