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
}
