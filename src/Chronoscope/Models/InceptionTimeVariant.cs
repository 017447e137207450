namespace Chronoscope.Models;

/// <summary>Which InceptionTime to build.</summary>
public enum InceptionTimeVariant
{
    /// <summary>
    /// As fastai's time series package builds it (the reference): no bottleneck in block 0, a bottleneck with bias in
    /// the others, a shortcut from each residual block's own input, and a max+average concat-pool head.
    /// </summary>
    Fastai,

    /// <summary>
    /// As the paper (Ismail Fawaz et al. 2020) builds it: a bias-free bottleneck wherever the input has more than one
    /// channel, a shortcut spanning three modules, and a global-average-pool head.
    /// </summary>
    Paper,

    /// <summary>
    /// As tsai's <c>InceptionTimePlus</c> builds it, for its trained weights: like <see cref="Paper"/>, but a bias-free
    /// bottleneck wherever the input channels differ from the filters (also for one channel), no ReLU in the module that
    /// ends a residual block (the ReLU follows the addition), and a shortcut without convolution (BatchNorm only) where
    /// its channels already match.
    /// </summary>
    Tsai,
}
