using Chronoscope.Data;
using Chronoscope.Data.Formats;

namespace Chronoscope.Fuzz;

/// <summary>
/// One dataset reader: the input is a whole file of <paramref name="format"/> (null: a file without an extension, whose
/// first line decides), read twice, with the default options and with the other choice of each (NaN padding,
/// non-finite values as missing). <see cref="DatasetReader.Read"/> must
/// either return a dataset that keeps its own invariants or throw <see cref="DatasetFormatException"/>; anything else
/// escapes and afl-fuzz records the input as a crash.
/// </summary>
internal sealed class DatasetTarget(DatasetFormat? format)
{
    private readonly string _path = ScratchFile.PathFor(format is null ? "" : "." + format.ToString()!.ToLowerInvariant());

    public void Run(Stream input)
    {
        ScratchFile.Write(_path, input);
        Read(new ReadOptions { Format = format });
        Read(new ReadOptions { Format = format, Padding = PaddingValue.NaN, NonFiniteAsMissing = true });
    }

    private void Read(ReadOptions options)
    {
        TimeSeriesDataset data;
        try
        {
            data = DatasetReader.Read(_path, options);
        }
        catch (DatasetFormatException e)
        {
            Verbose.Say($"refused: {e.Message}");
            return;
        }
        Check(data);
        Verbose.Say($"read: {data.Count} series, {data.Channels} channels, length {data.Length}, {data.Classes.Count} classes");
    }

    /// <summary>What a successful read promises, checked apart from the constructor's own checks.</summary>
    private static void Check(TimeSeriesDataset data)
    {
        if (data.Count < 1)
            throw new InvalidOperationException($"read succeeded with {data.Count} series");
        if (data.Labels is { } labels && labels.Any(l => l is null || !data.Classes.Contains(l)))
            throw new InvalidOperationException("a label outside the class vocabulary");
        if (data.Lengths.Any(n => n < 0 || n > data.Length))
            throw new InvalidOperationException($"lengths {string.Join(",", data.Lengths.Take(8))}… against the length {data.Length}");
        foreach (var value in data.Values)
        {
            if (float.IsInfinity(value))
                throw new InvalidOperationException("an infinite value was read without NonFiniteAsMissing");
        }
    }
}
