using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>
/// One indexable layer of <see cref="InceptionTime"/>: an Inception module, followed in residual blocks by a shortcut
/// from <c>source</c> (the block's own input in the fastai variant, the input three modules back in the paper's).
/// </summary>
internal sealed class InceptionBlock : Module<torch.Tensor, torch.Tensor, torch.Tensor>
{
    [ComponentName(Name = "inception")]
    private readonly InceptionModule _inception;
    [ComponentName(Name = "shortcut")]
    private readonly Shortcut? _shortcut;

    public InceptionBlock(InceptionModule inception, Shortcut? shortcut) : base(nameof(InceptionBlock))
    {
        _inception = inception;
        _shortcut = shortcut;
        RegisterComponents();
    }

    public bool HasShortcut => _shortcut is not null;

    /// <summary>Whether the module and the shortcut fold their BatchNorms into their convolutions in eval mode.</summary>
    public bool FoldBatchNorm
    {
        get => _inception.FoldBatchNorm;
        set
        {
            _inception.FoldBatchNorm = value;
            if (_shortcut is not null)
                _shortcut.FoldBatchNorm = value;
        }
    }

    /// <summary>Whether the module convolves its branches by FFT (see <see cref="InceptionModule.SpectralBranches"/>).</summary>
    public bool SpectralBranches
    {
        get => _inception.SpectralBranches;
        set => _inception.SpectralBranches = value;
    }

    /// <summary>Whether float32 training convolves the module's branches by FFT for series of <paramref name="length"/> steps.</summary>
    internal bool TrainsBranchesByFft(long length) => _inception.TrainsBranchesByFft(length);

    /// <summary>The type the module's and the shortcut's convolutions compute in (float32, or bfloat16 for mixed precision).</summary>
    public torch.ScalarType ConvolutionType
    {
        get => _inception.ConvolutionType;
        set
        {
            _inception.ConvolutionType = value;
            if (_shortcut is not null)
                _shortcut.ConvolutionType = value;
        }
    }

    public override torch.Tensor forward(torch.Tensor input, torch.Tensor source) // (B, C, T) -> (B, 4F, T)
    {
        using var scope = torch.NewDisposeScope();
        var output = _inception.call(input);
        return scope.MoveToOuter(_shortcut is null ? output : _shortcut.call(output, source));
    }
}
