namespace Chronoscope.Data;

/// <summary>What the loaders do with missing values (NaN inside a series' true length) so the model never gets NaN.</summary>
public enum MissingValues
{
    /// <summary>Linear interpolation between the nearest present neighbours; the ends repeat the nearest present value; an all-missing channel becomes 0.</summary>
    Interpolate,

    /// <summary>Replaced by 0 after normalization (the channel's mean under z-score normalization).</summary>
    Zero,

    /// <summary>A <see cref="Formats.DatasetFormatException"/> naming the first missing value.</summary>
    Fail,
}
