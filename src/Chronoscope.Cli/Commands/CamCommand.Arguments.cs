using System.CommandLine;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;

namespace Chronoscope.Cli.Commands;

/// <summary>The arguments of <c>chronoscope cam</c>: each read, checked, and on a mistake one message that lists what is valid.</summary>
internal static partial class CamCommand
{
    /// <summary>The methods by their command-line names, in the order help lists them.</summary>
    internal static readonly IReadOnlyDictionary<string, MapMethod> Methods = new Dictionary<string, MapMethod>
    {
        ["cam"] = MapMethod.Cam,
        ["gradcam"] = MapMethod.GradCam,
        ["gradcam-paper"] = MapMethod.GradCamPaper,
        ["hirescam"] = MapMethod.HiResCam,
        ["gradcam++"] = MapMethod.GradCamPlusPlus,
    };

    /// <summary>The <c>--method</c> of commands that take a method of the CAM family (<see cref="Methods"/>); default gradcam.</summary>
    internal static Option<Choice<MapMethod>> MethodOption(string description) =>
        Choice.Option("--method", description, [.. Methods.Select(m => new Choice<MapMethod>(m.Key, m.Value))], "gradcam", "name");

    private static (double Low, double High) ParseScaleRange(string text, bool given, bool raw)
    {
        if (given && raw)
            throw new UsageException("--scale-range has no effect with --raw: raw maps keep their values; give one or the other.");
        var parts = text.Split(',');
        if (parts.Length == 2 && TryParseNumber(parts[0], out var low) && TryParseNumber(parts[1], out var high) && low < high)
            return (low, high);
        throw new UsageException($"--scale-range {text}: expected two numbers low,high with low < high, e.g. 0,1 or -1,1.");
    }

    internal static ClassNames? ParseClassNames(string? text)
    {
        if (text is null)
            return null;
        try
        {
            return ClassNames.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--class-names: {e.Message}");
        }
    }

    /// <summary>The display name of each class of the model: the given names checked against its classes, else the labels.</summary>
    internal static IReadOnlyList<string> ResolveClassNames(ClassNames? names, IReadOnlyList<string> classes)
    {
        if (names is null)
            return classes;
        try
        {
            return names.Resolve(classes);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--class-names {names}: {Reason(e)}");
        }
    }

    /// <summary><c>--channel-names a,b,c</c>: the names in order, each trimmed and not empty; checked against the data in <see cref="WithChannelNames"/>.</summary>
    internal static IReadOnlyList<string>? ParseChannelNames(string? text)
    {
        if (text is null)
            return null;
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0))
            throw new UsageException($"--channel-names {text}: expected names separated by commas, one per channel, e.g. accX,accY,accZ; found an empty one.");
        return names;
    }

    /// <summary>The data with its channels named by <c>--channel-names</c>, which must give one name per channel.</summary>
    private static TimeSeriesDataset WithChannelNames(TimeSeriesDataset data, IReadOnlyList<string>? names)
    {
        if (names is null)
            return data;
        if (names.Count != data.Channels)
        {
            throw new UsageException(
                $"--channel-names {string.Join(",", names)}: expected {data.Channels} name{(data.Channels == 1 ? "" : "s")}, one per channel of {data.Name}, found {names.Count}.");
        }
        return data.WithChannelNames(names);
    }

    private static double Positive(string option, double value) =>
        double.IsFinite(value) && value > 0
            ? value
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option} {value}: expected a number above 0."));

    private static double ParseAlpha(double value) =>
        value is >= 0 and <= 1
            ? value
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--alpha {value}: expected an opacity from 0 (invisible) to 1 (opaque)."));

    private static (double Width, double Height)? ParseSize(string? text)
    {
        if (text is null)
            return null;
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && TryParseNumber(parts[0], out var width) && TryParseNumber(parts[1], out var height)
            && width > 0 && height > 0 && width <= 100 && height <= 100)
        {
            return (width, height);
        }
        throw new UsageException($"--size {text}: expected width x height in inches, each above 0 and at most 100, e.g. 6x4 or 18x8.");
    }

    private static string? ParseName(string? text)
    {
        if (text is null)
            return null;
        if (text.Length == 0 || text.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || text.Contains('/') || text.Contains('\\') || text is "." or "..")
            throw new UsageException($"--name {text}: expected a file name without folders (the files go to --out), e.g. gunpoint-cam.");
        return text;
    }

    /// <summary>
    /// <c>all</c>, or indices and ranges such as <c>0,3</c> or <c>0-4,10</c>, each within the pooled data; a mistake
    /// names the valid range and, for several files, the range of each.
    /// </summary>
    internal static IReadOnlyList<int> ParseItems(string text, TimeSeriesDataset data, IReadOnlyList<string> paths, IReadOnlyList<int> counts)
    {
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            if (data.Count == 0)
                throw new UsageException($"--items all: {string.Join(" + ", paths.Select(Path.GetFileName))} holds no series.");
            return [.. Enumerable.Range(0, data.Count)];
        }
        var items = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
            {
                items.Add(Within(single));
            }
            else if (dash > 0
                && int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                && first <= last)
            {
                Within(last);
                items.AddRange(Enumerable.Range(first, last - first + 1));
            }
            else
            {
                throw new UsageException($"--items {text}: expected 'all' or indices and ranges separated by commas (0,3 or 0-4,10), found '{part}'.");
            }
        }
        if (items.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UsageException($"--items {text}: item {twice.Key} is given twice; name each item once.");
        return items;

        int Within(int index)
        {
            if (index < data.Count)
                return index;
            var ranges = "";
            if (paths.Count > 1)
            {
                var start = 0;
                var parts = new List<string>();
                for (var f = 0; f < paths.Count; f++)
                {
                    parts.Add($"{Path.GetFileName(paths[f])} {start}-{start + counts[f] - 1}");
                    start += counts[f];
                }
                ranges = $": {string.Join(", ", parts)}";
            }
            throw new UsageException($"--items {text}: item {index} is out of range; expected 0 to {data.Count - 1}, the data has {data.Count} series{ranges}.");
        }
    }

    /// <summary>The layer to explain (default the last Inception block), checked against the model's layers.</summary>
    private static int CheckLayer(int? layer, TimeSeriesClassifier classifier)
    {
        var model = classifier.Model;
        if (layer is null)
            return model.LastBlock;
        if (layer >= 0 && layer < model.LayerCount)
            return layer.Value;
        var blocks = model.LastBlock == 0 ? "0 Inception block" : $"0-{model.LastBlock} Inception blocks ({model.LastBlock}, the last, is the default)";
        var rest = Enumerable.Range(model.LastBlock + 1, model.LayerCount - model.LastBlock - 1).Select(i => $"{i} {model.DescribeLayer(i)}");
        throw new UsageException($"--layer {layer}: out of range; expected 0 to {model.LayerCount - 1}: {string.Join(", ", [blocks, .. rest])}.");
    }

    /// <summary><c>label</c>, <c>predicted</c>, or one class by its label or its display name.</summary>
    private static MapTarget ParseTarget(string text, IReadOnlyList<string> classes, IReadOnlyList<string> names)
    {
        var value = text.Trim();
        if (string.Equals(value, "label", StringComparison.OrdinalIgnoreCase))
            return MapTarget.Label;
        if (string.Equals(value, "predicted", StringComparison.OrdinalIgnoreCase))
            return MapTarget.Predicted;
        for (var k = 0; k < classes.Count; k++)
        {
            if (string.Equals(classes[k], value, StringComparison.Ordinal))
                return MapTarget.Class(k);
        }
        for (var k = 0; k < names.Count; k++)
        {
            if (string.Equals(names[k], value, StringComparison.OrdinalIgnoreCase))
                return MapTarget.Class(k);
        }
        var listed = classes.Select((label, k) => names[k] == label ? label : $"{label} ({names[k]})");
        throw new UsageException($"--target {text}: expected label, predicted, or one of the model's classes: {string.Join(", ", listed)}.");
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>An <see cref="ArgumentException"/>'s message without the "(Parameter 'x')" that .NET appends.</summary>
    private static string Reason(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
