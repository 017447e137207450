using System.CommandLine;
using System.Globalization;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Archive;
using Chronoscope.Data.Formats;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary><c>chronoscope datasets info</c>: what a dataset holds, split by split.</summary>
internal static partial class DatasetsCommands
{
    private static Command Info(CliContext context)
    {
        var targets = new Argument<string[]>("name-or-files")
        {
            Description = "Dataset names (got as 'download' does), dataset files (.arff, .ts, .tsv, .txt, .csv), or folders holding a _TRAIN/_TEST pair (write ./Name for a folder here).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("info", "Describe datasets: series per split, length, channels, classes with their counts, missing values, format, files.")
        {
            targets,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var blocks = await ResolveAsync(context, parse.GetRequiredValue(targets), cancellationToken).ConfigureAwait(false);
            var everyClass = parse.GetValue<bool>("--verbose");
            for (var i = 0; i < blocks.Count; i++)
            {
                if (i > 0)
                    CliContext.WriteLine(context.Output, "");
                WriteInfo(context, blocks[i], everyClass);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What one block of <c>info</c> describes: a title, where it came from, and the files to read (with their column titles).</summary>
    private sealed record InfoBlock(string Title, string Origin, string Folder, IReadOnlyList<(string Split, string Path)> Files);

    /// <summary>Each name or folder is a block of its own; the files named on the command line form one block per dataset name.</summary>
    private static async Task<IReadOnlyList<InfoBlock>> ResolveAsync(CliContext context, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var blocks = new List<InfoBlock>();
        var files = new List<string>();
        foreach (var target in targets)
        {
            var looksLikePath = target.Contains('/') || target.Contains(Path.DirectorySeparatorChar) || target is "." or ".."
                || DatasetFolder.IsDatasetExtension(Path.GetExtension(target));
            if (File.Exists(target))
            {
                files.Add(Path.GetFullPath(target));
            }
            else if (looksLikePath && Directory.Exists(target))
            {
                blocks.Add(FolderBlock(context, Path.GetFullPath(target)));
            }
            else if (looksLikePath)
            {
                throw new InputFileException($"{target}: no such file or folder.");
            }
            else
            {
                var found = await DownloadReporter.GetAsync(context, target, context.DatasetOptions, cancellationToken).ConfigureAwait(false);
                var origin = found.Origin switch
                {
                    DatasetOrigin.Embedded => "the library's embedded copy, now in the cache",
                    DatasetOrigin.Downloaded => $"downloaded from {found.Url}",
                    _ => "the cache",
                };
                blocks.Add(new InfoBlock(found.Name, origin, found.Folder, [("TRAIN", found.TrainPath), ("TEST", found.TestPath)]));
            }
        }
        // Files named on the command line form one block per dataset name (X_TRAIN and X_TEST together), first.
        var byName = files.GroupBy(f => DatasetReader.NameOf(f, null, new ReadOptions()), StringComparer.OrdinalIgnoreCase).ToList();
        for (var i = 0; i < byName.Count; i++)
        {
            var folders = byName[i].Select(Path.GetDirectoryName).Distinct().ToList();
            blocks.Insert(i, new InfoBlock("", "files", folders.Count == 1 ? folders[0]! : "", [.. byName[i].Select(f => (SplitOf(f), f))]));
        }
        return blocks;
    }

    /// <summary>A folder given by path: the <c>&lt;folder name&gt;_TRAIN/_TEST</c> pair, else the one pair of any name inside it.</summary>
    private static InfoBlock FolderBlock(CliContext context, string folder)
    {
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var stems = DatasetFolder.TrainStems(folder);
        var candidates = stems.Contains(name, StringComparer.OrdinalIgnoreCase) ? [name] : stems;
        var pairs = candidates
            .Select(candidate => (Name: candidate, Pair: DatasetFolder.FindPair(folder, candidate, context.DatasetOptions.FormatPreference)))
            .Where(found => found.Pair is not null)
            .Select(found => (found.Name, found.Pair!.Value.Train, found.Pair.Value.Test))
            .ToList();
        if (pairs.Count != 1)
        {
            throw new InputFileException(pairs.Count == 0
                ? $"{folder} holds no <Name>_TRAIN and <Name>_TEST pair (.ts, .arff, .tsv, .txt, .csv or without an extension)."
                : $"{folder} holds several datasets ({string.Join(", ", pairs.Select(p => p.Name))}); name their files instead.");
        }
        return new InfoBlock(pairs[0].Name, "files", folder, [("TRAIN", pairs[0].Train), ("TEST", pairs[0].Test)]);
    }

    /// <summary>"TRAIN" or "TEST" from a file's name, else the name itself.</summary>
    private static string SplitOf(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        if (stem.EndsWith("_TRAIN", StringComparison.OrdinalIgnoreCase))
            return "TRAIN";
        if (stem.EndsWith("_TEST", StringComparison.OrdinalIgnoreCase))
            return "TEST";
        return Path.GetFileName(path);
    }

    /// <summary>Classes listed one per row up to this many; beyond it, the first <see cref="ClassesShown"/> and a count (--verbose lists all).</summary>
    private const int ClassRowLimit = 20, ClassesShown = 10;

    private static void WriteInfo(CliContext context, InfoBlock block, bool everyClass)
    {
        var splits = block.Files.Select(f => (f.Split, f.Path, Data: DatasetReader.Read(f.Path))).ToList();
        var first = splits[0].Data;
        var title = block.Title.Length > 0 ? block.Title : first.Name;
        var kind = DatasetCatalog.KindOf(title)?.ToString().ToLowerInvariant()
            ?? (splits.All(s => s.Data.Channels == 1) ? "univariate" : "multivariate");
        var formats = string.Join(", ", splits.Select(s => DatasetReader.DetectFormat(s.Path).ToString().ToUpperInvariant()).Distinct());
        var classes = ClassVocabulary.Sort(splits.SelectMany(s => s.Data.Classes));
        var labelled = splits.All(s => s.Data.Labels is not null);

        var heading = $"{title}: {kind}, {Plural(classes.Count, "class", "classes")}, {formats}, from {block.Origin}";
        if (context.IsInteractive)
            context.Output.MarkupLine($"[bold]{Markup.Escape(title)}[/]{Markup.Escape(heading[title.Length..])}");
        else
            CliContext.WriteLine(context.Output, heading);
        var folderLine = block.Folder.Length > 0 ? [["folder", Markup.Escape(block.Folder)]] : Array.Empty<IReadOnlyList<string>>();
        TableWriter.Write(context, null,
        [
            .. folderLine,
            ["files", Markup.Escape(string.Join(", ", splits.Select(s => $"{Path.GetFileName(s.Path)} ({Sizes.Format(new FileInfo(s.Path).Length)})")))],
        ]);
        CliContext.WriteLine(context.Output, "");

        string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var rows = new List<IReadOnlyList<string>>
        {
            Row("series", splits.Select(s => Number(s.Data.Count))),
            Row("length", splits.Select(s => s.Data.IsEqualLength || s.Data.Count == 0
                ? Number(s.Data.Length)
                : $"{Number(s.Data.Lengths.Min())}-{Number(s.Data.Lengths.Max())}")),
            Row("channels", splits.Select(s => Number(s.Data.Channels))),
            Row("missing values", splits.Select(s => Number(s.Data.MissingValueCount))),
            Row("series sd, 5th-95th percentile", splits.Select(s => Deviations(s.Data))),
            Row("spread around the mean series", splits.Select(s => Departure(s.Data))),
        };
        var hidden = labelled && !everyClass && classes.Count > ClassRowLimit ? classes.Count - ClassesShown : 0;
        if (labelled)
        {
            // Series of each class of the union in each split, 0 where a split lacks the class.
            var counts = splits.Select(s =>
            {
                var own = s.Data.ClassCounts(); // a pass over the split's labels, so once per split
                return classes.Select(label => IndexOf(s.Data.Classes, label) is var index and >= 0 ? own[index] : 0).ToArray();
            }).ToList();
            if (hidden > 0)
            {
                rows.Add(Row("classes", splits.Select(s => Number(s.Data.Classes.Count))));
                rows.Add(Row("series per class, fewest-most", counts.Select(c => $"{Number(c.Min())}-{Number(c.Max())}")));
            }
            for (var i = 0; i < classes.Count - hidden; i++)
                rows.Add(Row($"class {Markup.Escape(classes[i])}", counts.Select(c => Number(c[i]))));
        }
        else
        {
            rows.Add(Row("classes", splits.Select(s => s.Data.Labels is null ? "unlabelled" : Number(s.Data.Classes.Count))));
        }

        TableWriter.Write(context, ["", .. splits.Select(s => Markup.Escape(s.Split))], rows, [.. Enumerable.Range(1, splits.Count)]);
        if (hidden > 0)
            CliContext.WriteLine(context.Output, $"and {hidden} more classes; --verbose lists every class.");
    }

    // The spread of the series' scales: equal for z-normalized data, orders of magnitude apart where per-sample
    // normalization is needed (train's auto normalization chooses it then).
    private static string Deviations(TimeSeriesDataset data)
    {
        if (SeriesScales.Spread(data) is not { } spread)
            return "-";
        var channel = data.Channels > 1 ? $" (channel {spread.Channel})" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{spread.Low:G3} to {spread.High:G3}{channel}");
    }

    // At the median step, over the overall deviation: a hundredth where the series are near copies of one curve, which
    // train's auto normalization then subtracts.
    private static string Departure(TimeSeriesDataset data)
    {
        if (MeanSeriesDeparture.Of(data) is not { } departure)
            return "-";
        var channel = data.Channels > 1 ? $" (channel {departure.Channel})" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{departure.Ratio:G2}{channel}{(departure.NearCopies ? ", near copies" : "")}");
    }

    private static IReadOnlyList<string> Row(string title, IEnumerable<string> cells) => [title, .. cells];

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    private static string Plural(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";
}
