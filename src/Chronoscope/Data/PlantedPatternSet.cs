using Chronoscope.Data.Formats;
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
    /// The set for <paramref name="data"/> (e.g. a <c>.ts</c> file written by <c>datasets synth</c>) with the mask read
    /// back from its CSV (<see cref="MaskCsv"/>); <paramref name="source"/> names the file in messages.
    /// </summary>
    /// <exception cref="DatasetFormatException">A row is malformed, out of range, or the rows do not match the series.</exception>
    public static PlantedPatternSet FromMaskCsv(TimeSeriesDataset data, string text, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Length == 0 || lines[0] != "item,start,length,channels")
            throw new DatasetFormatException(source, 1, "expected the header item,start,length,channels (a mask written by 'chronoscope datasets synth').");
        if (lines.Length - 1 != data.Count)
            throw new DatasetFormatException(source, null, $"expected one row per series of {data.Name} ({data.Count}), found {lines.Length - 1}.");
        var mask = new bool[data.Count * data.Channels * data.Length];
        var starts = new int[data.Count];
        IReadOnlyList<int> planted = [];
        var patternLength = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var cells = lines[i + 1].Split(',');
            var ok = cells.Length == 4
                && int.TryParse(cells[0], System.Globalization.CultureInfo.InvariantCulture, out var item) && item == i
                && int.TryParse(cells[1], System.Globalization.CultureInfo.InvariantCulture, out starts[i])
                && int.TryParse(cells[2], System.Globalization.CultureInfo.InvariantCulture, out patternLength)
                && starts[i] >= 0 && patternLength >= 1 && starts[i] + patternLength <= data.Length;
            var channels = ok ? cells[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray() : [];
            if (!ok || channels.Length == 0 || channels.Any(c => c < 0 || c >= data.Channels))
                throw new DatasetFormatException(source, i + 2, $"expected '{i},start,length,channels' with the pattern inside {data.Length} steps and channels from 0 to {data.Channels - 1}, found '{lines[i + 1]}'.");
            planted = channels;
            foreach (var c in channels)
                mask.AsSpan((i * data.Channels + c) * data.Length + starts[i], patternLength).Fill(true);
        }
        var options = new PlantedPatternOptions { Count = data.Count, Channels = data.Channels, Length = data.Length, PatternLength = patternLength, PlantedChannels = planted };
        return new PlantedPatternSet(data, mask, starts, options);
    }

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
