namespace Chronoscope.Data.Formats;

/// <summary>What fills the time steps after a series' true end when series of different lengths share one array.</summary>
public enum PaddingValue
{
    /// <summary>Zeros, which the model can take as they are (and which stay zero after normalization).</summary>
    Zero,

    /// <summary>NaN, as the UCR 2018 <c>.tsv</c> files pad; the loaders turn padding into zeros before the model sees it.</summary>
    NaN,
}
