namespace Chronoscope.Data;

/// <summary>
/// A labelled synthetic set and the truth about it: for every series, where its pattern was planted. Class "1" carries
/// the pattern upright, class "0" the same pattern upside down, so the planted steps are the only evidence.
/// </summary>
public sealed class PlantedPatternSet
{
    private readonly bool[] _mask;

    internal PlantedPatternSet(TimeSeriesDataset data, bool[] mask, IReadOnlyList<int> starts, PlantedPatternOptions options)
    {
        Data = data;
        _mask = mask;
        Starts = starts;
        Options = options;
    }

    /// <summary>The series, labelled "0" and "1".</summary>
    public TimeSeriesDataset Data { get; }

    /// <summary>Where each series' pattern starts.</summary>
    public IReadOnlyList<int> Starts { get; }

    /// <summary>How the set was made.</summary>
    public PlantedPatternOptions Options { get; }

    /// <summary>The planted (channel, step) cells, (N, C, T) row-major: true inside the pattern.</summary>
    public ReadOnlySpan<bool> Mask => _mask;

    /// <summary>Series <paramref name="index"/>'s mask, C × T.</summary>
    public ReadOnlySpan<bool> MaskOf(int index) => _mask.AsSpan(index * Data.Channels * Data.Length, Data.Channels * Data.Length);

    /// <summary>
    /// The mask as CSV, one row per series: <c>item,start,length,channels</c> with the planted channels separated by
    /// spaces (e.g. <c>3,41,12,1</c>).
    /// </summary>
    public string MaskCsv()
    {
        var text = new System.Text.StringBuilder("item,start,length,channels\n");
        var channels = string.Join(' ', Options.PlantedChannels);
        for (var i = 0; i < Data.Count; i++)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{Starts[i]},{Options.PatternLength},{channels}\n");
        return text.ToString();
    }
}
