namespace Chronoscope.Data.Formats;

/// <summary>The file formats of the UCR/UEA archives.</summary>
public enum DatasetFormat
{
    /// <summary>Weka ARFF: univariate (numeric attributes, class last) or multivariate (relational attribute).</summary>
    Arff,

    /// <summary>The sktime/aeon <c>.ts</c> format: tagged header, channels separated by <c>:</c>, label last.</summary>
    Ts,

    /// <summary>UCR 2018 <c>.tsv</c>: label first, tab-separated values, NaN padding for variable length.</summary>
    Tsv,

    /// <summary>The legacy UCR <c>.txt</c>: label first as a float, values separated by runs of spaces.</summary>
    Txt,

    /// <summary>
    /// Comma-separated values, label first, no header: <c>.csv</c>, and the UCR 2015 archive's files (<c>NAME_TRAIN</c>,
    /// without an extension).
    /// </summary>
    Csv,
}
