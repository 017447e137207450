namespace Chronoscope.Data.Archive;

/// <summary>Which archive a catalogued dataset belongs to.</summary>
public enum DatasetKind
{
    /// <summary>One channel per series: the UCR univariate archive (128 problems).</summary>
    Univariate,

    /// <summary>Several channels per series: the UEA multivariate archive (30 problems).</summary>
    Multivariate,
}
