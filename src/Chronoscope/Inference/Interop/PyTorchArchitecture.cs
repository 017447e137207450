namespace Chronoscope.Inference.Interop;

/// <summary>The Python network whose <c>state_dict</c> key layout a weights file follows.</summary>
public enum PyTorchArchitecture
{
    /// <summary>
    /// fastai's time series package (<c>create_inception</c>), as <c>pytorch_inception.py --arch seed</c> rebuilds it:
    /// keys <c>0.layers.0.convs.0.weight</c>, <c>2.layers.1.conv.weight</c>, ..., <c>8.weight</c>. Imports as
    /// <see cref="Models.InceptionTimeVariant.Fastai"/>.
    /// </summary>
    Fastai,

    /// <summary>
    /// tsai's <c>InceptionTimePlus</c> (default settings): keys <c>backbone.0.inception.0.convs.0.0.weight</c>,
    /// <c>backbone.0.shortcut.0.0.weight</c>, <c>head.0.1.0.weight</c>. Imports as <see cref="Models.InceptionTimeVariant.Tsai"/>.
    /// </summary>
    Tsai,

    /// <summary>
    /// The paper's network as a plain PyTorch module, as <c>pytorch_inception.py --arch tsai</c> builds it: keys
    /// <c>inception.0.convs.0.weight</c>, <c>shortcut.0.0.weight</c>, <c>fc.weight</c>; kernel sizes are read from the
    /// file (40, 20, 10 as the paper, or 39, 19, 9). Imports as <see cref="Models.InceptionTimeVariant.Paper"/>.
    /// </summary>
    Paper,
}
