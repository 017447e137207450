using System.Text;

namespace Chronoscope.Data.Formats;

/// <summary>
/// Reads a file of the UCR/UEA archives (<c>.arff</c>, <c>.ts</c>, <c>.tsv</c>, <c>.txt</c>) into a
/// <see cref="TimeSeriesDataset"/>. Every malformed input is a <see cref="DatasetFormatException"/> that names the
/// file, the 1-based line, and what was expected and found.
/// </summary>
/// <remarks>
/// <para>All formats: UTF-8 with or without a byte order mark, LF or CRLF line ends, trailing whitespace, a
/// missing final newline and blank lines are accepted. <c>?</c> is a missing value and reads as NaN, as does
/// <c>NaN</c>. A value a float cannot hold (<c>inf</c>, <c>Infinity</c>, <c>∞</c>, <c>1e309</c>, <c>3.5e38</c>) is an
/// error naming line and column, or a missing value with <see cref="ReadOptions.NonFiniteAsMissing"/>. Labels are strings; the class vocabulary (<see cref="TimeSeriesDataset.Classes"/>) includes
/// classes that a header declares even when no case has them.</para>
/// <para><b>ARFF</b>, as the archive distributes it. Univariate: numeric attributes (<c>numeric</c>,
/// <c>real</c>, <c>integer</c>), one per time step, then the nominal class attribute last. Multivariate: one
/// relational attribute whose nested numeric attributes are the time steps, <c>@end</c>, then the nominal
/// class attribute (or none: the data is then unlabelled); each case is one quoted string whose dimensions
/// are separated by the two characters <c>\n</c>, followed by <c>,label</c>. Keywords are case-insensitive,
/// <c>%</c> comments may appear anywhere (after <c>@data</c> too), labels may be quoted with <c>'</c> or
/// <c>"</c>, and a label the class attribute does not declare is an error. Every dimension of every case
/// must hold exactly as many values as the header declares attributes: ARFF cannot say that a series is
/// shorter, so variable-length relational data is refused (the archive ships such problems as <c>.ts</c>).</para>
/// <para><b>.ts</b> (sktime/aeon): <c>#</c> comments; header tags by name in any order, case-insensitive;
/// unknown tags are ignored. Dimensions are separated by <c>:</c>, values by <c>,</c>, the label follows the
/// last <c>:</c> when <c>@classLabel true</c> (the labels declared there are the only ones allowed);
/// <c>@classLabel false</c> reads unlabelled data (<see cref="TimeSeriesDataset.Labels"/> is null);
/// <c>@targetLabel true</c> (regression) is refused. <c>@univariate</c>/<c>@dimensions</c> are checked
/// against every case, and so is <c>@seriesLength</c> when <c>@equalLength true</c>. With
/// <c>@equalLength false</c> (or no <c>@equalLength</c>) each case may have its own length: series are padded
/// after their end to the longest with <see cref="ReadOptions.Padding"/> and their true lengths kept in
/// <see cref="TimeSeriesDataset.Lengths"/>. When the dimensions of one case differ in length, each is padded
/// to the case's longest, which is the case's length (so with NaN padding the shorter dimension's tail
/// counts as missing values). <c>@timeStamps true</c> data, <c>(timestamp,value)</c> pairs, is read as the
/// values in file order; the timestamps are dropped. <c>@missing</c> is informational and not checked.</para>
/// <para><b>.tsv</b> (UCR 2018): no header, <c>label&lt;TAB&gt;v1&lt;TAB&gt;v2...</c>. Every line has the same
/// number of values; NaNs after a series' last number are padding (its true length ends at that number),
/// NaNs before it are missing values.</para>
/// <para><b>.txt</b> (legacy UCR): values separated by runs of spaces or tabs, label first as a number such
/// as <c>2.0000000e+00</c>; an integral label becomes an integer string (<c>2</c>), any other keeps its
/// shortest round-trip form (<c>1.5</c>). The NaN padding rule of .tsv applies too.</para>
/// <para><b>.csv</b> (the UCR 2015 archive's files, and label-first CSV): no header, <c>label,v1,v2...</c>; spaces
/// around a field are ignored, a label may be quoted and is kept as written (<c>1</c> and <c>1.0</c> are two classes).
/// The rules of .tsv apply otherwise. In both, a first line whose label alone is text among numbered classes, with no
/// other line of that label, is refused as a header (<c>label,1,2,3</c>).</para>
/// <para>A file without an extension (the 2015 archive names its files <c>NAME_TRAIN</c> and <c>NAME_TEST</c>) is read
/// in the format its first line shows (<see cref="DetectFormat"/>).</para>
/// </remarks>
public static class DatasetReader
{
    /// <summary>
    /// Reads the dataset file at <paramref name="path"/>. The format comes from <see cref="ReadOptions.Format"/>,
    /// else from the extension (<see cref="DetectFormat"/>). The name comes from <see cref="ReadOptions.Name"/>,
    /// else the file's <c>@problemName</c> or <c>@relation</c> (unquoted), else the file name without its
    /// extension; a <c>_TRAIN</c> or <c>_TEST</c> suffix is removed from the last two, since the name is the
    /// dataset's, not the split's. <see cref="TimeSeriesDataset.Sources"/> is <c>[path]</c>.
    /// </summary>
    /// <exception cref="DatasetFormatException">The file is missing, unknown or malformed.</exception>
    public static TimeSeriesDataset Read(string path, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ReadOptions();
        var format = options.Format ?? DetectFormat(path);
        return format switch
        {
            DatasetFormat.Arff => ArffReader.Read(path, options),
            DatasetFormat.Ts => TsReader.Read(path, options),
            DatasetFormat.Tsv or DatasetFormat.Txt or DatasetFormat.Csv => DelimitedReader.Read(path, options, format),
            _ => throw new ArgumentOutOfRangeException(nameof(options), format, "unknown dataset format"),
        };
    }

    /// <summary>
    /// The format named by the extension of <paramref name="path"/>, case-insensitive: .arff, .ts, .tsv, .txt or .csv;
    /// for a file without an extension, the format its first line that is not blank shows (<see cref="FormatOfContent"/>).
    /// </summary>
    /// <exception cref="DatasetFormatException">The extension is none of these.</exception>
    public static DatasetFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path);
        switch (extension.ToLowerInvariant())
        {
            case ".arff":
                return DatasetFormat.Arff;
            case ".ts":
                return DatasetFormat.Ts;
            case ".tsv":
                return DatasetFormat.Tsv;
            case ".txt":
                return DatasetFormat.Txt;
            case ".csv":
                return DatasetFormat.Csv;
            case "":
                return FormatOfContent(path);
            case ".zip" or ".gz" or ".tgz":
                throw new DatasetFormatException(path, null,
                    $"expected a dataset file, found an archive ({extension}): extract it first, then read the _TRAIN and _TEST files inside.");
            default:
                throw new DatasetFormatException(path, null,
                    $"expected a file ending in .arff, .ts, .tsv, .txt or .csv (or without an extension, read by its first line), found \"{extension}\"; "
                    + "rename it, or in C# set ReadOptions.Format to read it as one of these formats.");
        }
    }

    /// <summary>
    /// The format of a file without an extension, by its first line that is not blank: <c>%</c> or <c>@relation</c>
    /// begins ARFF, <c>#</c> or another <c>@</c> tag .ts; else a tab makes it .tsv, a comma .csv (the UCR 2015
    /// archive's files), and anything else the legacy .txt. A file that cannot be opened as a regular file is taken
    /// as .txt, whose reader then says what is wrong with it.
    /// </summary>
    private static DatasetFormat FormatOfContent(string path)
    {
        const int HeadBytes = 1 << 16; // a line longer than this shows its separator well before its end
        if (FileKinds.Of(path) != FileKind.Regular)
            return DatasetFormat.Txt;
        var head = new byte[HeadBytes];
        int count;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            count = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DatasetFormat.Txt;
        }
        var text = head.AsSpan(0, count);
        if (text.StartsWith("\uFEFF"u8))
            text = text[3..];
        while (true)
        {
            var end = text.IndexOf((byte)'\n');
            var line = Utf8Text.Trim(end < 0 ? text : text[..end]);
            if (!line.IsEmpty)
            {
                if (line[0] == (byte)'%' || (line.Length >= 9 && Ascii.EqualsIgnoreCase(line[..9], "@relation"u8)))
                    return DatasetFormat.Arff;
                if (line[0] is (byte)'#' or (byte)'@')
                    return DatasetFormat.Ts;
                return line.Contains((byte)'\t') ? DatasetFormat.Tsv : line.Contains((byte)',') ? DatasetFormat.Csv : DatasetFormat.Txt;
            }
            if (end < 0)
                return DatasetFormat.Txt;
            text = text[(end + 1)..];
        }
    }

    /// <summary>The dataset's name by the rule of <see cref="Read"/>.</summary>
    internal static string NameOf(string path, string? headerName, ReadOptions options)
    {
        if (options.Name is not null)
            return options.Name;
        var name = string.IsNullOrWhiteSpace(headerName) ? Path.GetFileNameWithoutExtension(path) : headerName.Trim();
        foreach (var suffix in (ReadOnlySpan<string>)["_TRAIN", "_TEST"])
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return name[..^suffix.Length];
        }
        return name;
    }

    /// <summary>
    /// The first pass: how many lines could be cases, that is lines that are not blank and do not start (after
    /// whitespace) with one of <paramref name="headerOrCommentStarts"/>. For a file that reads without error
    /// this is exactly the number of cases, so the values can go into an array of the final size.
    /// </summary>
    internal static long CountCaseLines(string path, ReadOnlySpan<byte> headerOrCommentStarts)
    {
        using var reader = Utf8LineReader.Open(path);
        long count = 0;
        while (reader.TryReadLine(out var line))
        {
            var start = line.IndexOfAnyExcept(Utf8Text.Whitespace);
            if (start >= 0 && headerOrCommentStarts.IndexOf(line[start]) < 0)
                count++;
        }
        return count;
    }
}
