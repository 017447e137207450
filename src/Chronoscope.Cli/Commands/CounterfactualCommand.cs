using System.CommandLine;
using System.Globalization;
using System.Text;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Plotting;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope counterfactual</c>: for chosen series, the smallest change that makes a saved model decide otherwise
/// (Native Guide: a window of the nearest unlike training series, placed by its map), as one picture per item (PNG and
/// SVG) and a CSV of the counterfactual series and their measures. Everything is computed before anything is written.
/// </summary>
internal static class CounterfactualCommand
{
    private static readonly IReadOnlyDictionary<string, SeriesDistance> Distances = new Dictionary<string, SeriesDistance>
    {
        ["euclidean"] = SeriesDistance.Euclidean,
        ["dtw"] = SeriesDistance.Dtw,
    };

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model file (written by 'chronoscope train' or Learner.Save).", Required = true, HelpName = "file" };
        var train = new Option<string>("--train") { Description = "The model's training file: the neighbours the counterfactuals borrow from.", Required = true, HelpName = "file" };
        var data = new Option<string[]>("--data", "-d")
        {
            Description = "Dataset files holding the series to explain; several are pooled in order, item indices running across them.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "file",
        };
        var items = new Option<string>("--items", "-i") { Description = $"The series to explain: indices and ranges (0,3 or 0-4,10), or 'all'; more than {CamCommand.MaxFigureItems} get the CSV only.", Required = true, HelpName = "list" };
        var target = new Option<string?>("--target") { Description = "The class to aim at (label or name); default each item's runner-up, the class the model finds second most likely.", HelpName = "class" };
        var distance = Choice.Option("--distance", "How the nearest unlike neighbour is chosen.", [.. Distances.Select(d => new Choice<SeriesDistance>(d.Key, d.Value))], "euclidean");
        var band = new Option<int?>("--band") { Description = "The Sakoe-Chiba band of DTW in steps [default: 10% of the length].", HelpName = "steps" };
        var threshold = new Option<double>("--threshold") { Description = "The probability of the target the counterfactual must reach.", DefaultValueFactory = _ => new CounterfactualOptions().Threshold, HelpName = "p" }.Finite();
        var method = CamCommand.MethodOption($"The map that places the window, computed on the neighbour for the target: {string.Join(", ", CamCommand.Methods.Keys)}.");
        var classNames = new Option<string?>("--class-names") { Description = "Readable class names by label (1=Gun,2=Point) or in class order (Gun,Point).", HelpName = "names" };
        var output = new Option<string>("--out", "-o") { Description = "The folder for counterfactual-<item>.png and .svg and counterfactuals.csv; created if missing.", Required = true, HelpName = "folder" };
        var nonFinite = NonFiniteValues.Option();

        var command = new Command("counterfactual", "What would make the model decide otherwise: the smallest window of the nearest unlike training series that flips each chosen series (PNG, SVG, CSV).")
        {
            model, train, data, items, target, distance, band, threshold, method, classNames, output, nonFinite,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new Request
            {
                ModelPath = parse.GetRequiredValue(model),
                TrainPath = parse.GetRequiredValue(train),
                DataPaths = parse.GetRequiredValue(data),
                Items = parse.GetRequiredValue(items),
                Target = parse.GetValue(target),
                Distance = parse.GetRequiredValue(distance).Value,
                Band = parse.GetValue(band) is { } b && (b < 0 || parse.GetRequiredValue(distance).Value != SeriesDistance.Dtw)
                    ? throw new UsageException(b < 0 ? $"--band {b}: expected 0 steps or more." : "--band: only with --distance dtw, whose warping it bounds.")
                    : parse.GetValue(band),
                Threshold = parse.GetValue(threshold) is var p && p > 0 && p <= 1
                    ? p
                    : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--threshold {p}: expected a probability above 0 and at most 1.")),
                Method = parse.GetRequiredValue(method).Value,
                ClassNames = CamCommand.ParseClassNames(parse.GetValue(classNames)),
                OutputFolder = parse.GetRequiredValue(output),
                Read = NonFiniteValues.Read(parse, nonFinite),
            };
            return Task.FromResult(Run(context, request, cancellationToken));
        });
        return command;
    }

    private sealed record Request
    {
        public required string ModelPath { get; init; }
        public required string TrainPath { get; init; }
        public required IReadOnlyList<string> DataPaths { get; init; }
        public required string Items { get; init; }
        public required string? Target { get; init; }
        public required SeriesDistance Distance { get; init; }
        public required int? Band { get; init; }
        public required double Threshold { get; init; }
        public required MapMethod Method { get; init; }
        public required ClassNames? ClassNames { get; init; }
        public required string OutputFolder { get; init; }
        public required ReadOptions Read { get; init; }
    }

    private static int Run(CliContext context, Request request, CancellationToken cancellationToken)
    {
        using var classifier = TimeSeriesClassifier.Load(request.ModelPath);
        var (data, counts) = ModelData.ReadPooled(context, classifier, request.DataPaths, request.Read);
        var training = DatasetReader.Read(request.TrainPath, request.Read);
        var indices = CamCommand.ParseItems(request.Items, data, request.DataPaths, counts);
        var names = CamCommand.ResolveClassNames(request.ClassNames, classifier.Classes);
        var outputs = indices.Count <= CamCommand.MaxFigureItems
            ? indices.SelectMany(i => new[] { $"counterfactual-{i.ToString(CultureInfo.InvariantCulture)}.png", $"counterfactual-{i.ToString(CultureInfo.InvariantCulture)}.svg" })
            : [];
        foreach (var name in outputs.Append("counterfactuals.csv"))
            OutputFiles.CheckNotInput("--out", Path.Combine(Path.GetFullPath(request.OutputFolder), name), [request.ModelPath, request.TrainPath, .. request.DataPaths]);
        var options = new CounterfactualOptions
        {
            Target = request.Target is null ? null : ParseTarget(request.Target, classifier.Classes, names),
            Distance = request.Distance,
            Band = request.Band,
            Threshold = request.Threshold,
            Map = new ExplainOptions { Method = request.Method },
        };

        CliContext.WriteLine(context.Output,
            $"model {Path.GetFileName(request.ModelPath)}: {classifier.DatasetName}, classes {string.Join(", ", classifier.Classes.Select((label, k) => names[k] == label ? label : $"{label} ({names[k]})"))}");
        CliContext.WriteLine(context.Output,
            $"neighbours from {Path.GetFileName(request.TrainPath)} ({training.Count.ToString("N0", CultureInfo.InvariantCulture)} series); explaining {indices.Count.ToString("N0", CultureInfo.InvariantCulture)} of {string.Join(" + ", request.DataPaths.Select(Path.GetFileName))}");

        ModelWarnings.Memory(context, new Explainer(classifier).ExplanationMemory(classifier.Conform(data), options.Map)); // its largest passes: the maps
        var results = Counterfactuals.Explain(classifier, training, data, indices, options, cancellationToken);
        CliContext.WriteLine(context.Output, string.Create(CultureInfo.InvariantCulture,
            $"{(results.Distance == SeriesDistance.Dtw ? $"DTW, band {results.Band}" : "Euclidean")} neighbours, windows placed by {results.MapTitle}, threshold {results.Threshold}: found {results.FoundCount} of {results.Items.Count}"));
        WriteTable(context, results, names);

        // Everything is made in memory first: a failure leaves no file behind, and none half-written.
        var files = new List<(string Name, byte[] Bytes)>();
        if (indices.Count <= CamCommand.MaxFigureItems)
        {
            var plotOptions = new CounterfactualPlotOptions { ClassNames = request.ClassNames };
            for (var k = 0; k < results.Items.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var figure = Pictures.ShowCounterfactual(results, k, data, plotOptions);
                var name = $"counterfactual-{results.Items[k].Item.ToString(CultureInfo.InvariantCulture)}";
                files.Add((name + ".png", figure.GetPngBytes()));
                files.Add((name + ".svg", new UTF8Encoding(false).GetBytes(figure.GetSvgXml())));
            }
        }
        files.Add(("counterfactuals.csv", new UTF8Encoding(false).GetBytes(ToCsv(results))));

        cancellationToken.ThrowIfCancellationRequested();
        var folder = Directory.CreateDirectory(Path.GetFullPath(request.OutputFolder)).FullName;
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(folder, name);
            AtomicFile.WriteAllBytes(path, bytes);
            CliContext.WriteLine(context.Output, $"wrote {path}");
        }
        if (indices.Count > CamCommand.MaxFigureItems)
            CliContext.WriteLine(context.Output, $"no pictures: {indices.Count} items are more than {CamCommand.MaxFigureItems} to draw; choose at most {CamCommand.MaxFigureItems} with --items to get them.");
        return ExitCodes.Success;
    }

    /// <summary>A class by its label or its display name; anything else names the model's classes.</summary>
    private static int ParseTarget(string text, IReadOnlyList<string> classes, IReadOnlyList<string> names)
    {
        var value = text.Trim();
        for (var k = 0; k < classes.Count; k++)
        {
            if (string.Equals(classes[k], value, StringComparison.Ordinal) || string.Equals(names[k], value, StringComparison.OrdinalIgnoreCase))
                return k;
        }
        var listed = classes.Select((label, k) => names[k] == label ? label : $"{label} ({names[k]})");
        throw new UsageException($"--target {text}: not a class of the model; expected one of {string.Join(", ", listed)}.");
    }

    private static void WriteTable(CliContext context, CounterfactualResults results, IReadOnlyList<string> names)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in results.Items)
        {
            rows.Add(
            [
                c.Item.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"{names[c.Predicted]} → {names[c.Target]}"),
                Percent(c.ProbabilitiesBefore[c.Target]) + " → " + (c.ProbabilitiesAfter is { } after ? Percent(after[c.Target]) : "-"),
                c.Found ? $"{c.WindowStart}+{c.WindowLength}" : Outcome(c.Outcome),
                c.Found ? Percent(c.ChangedShare) : "",
                c.Found ? c.L2.ToString("0.###", CultureInfo.InvariantCulture) : "",
            ]);
        }
        TableWriter.Write(context, ["item", "change", "p(target)", "window", "changed", "L2"], rows, 0, 4, 5);
    }

    private static string Outcome(CounterfactualOutcome outcome) => outcome switch
    {
        CounterfactualOutcome.NotFlipped => "not found (whole neighbour too weak)",
        CounterfactualOutcome.NoNeighbour => "not found (no neighbour)",
        _ => "found",
    };

    private static string Percent(double p) => (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// One row per item: <c>item,outcome,predicted,target,p_before,p_after,neighbour,neighbour_distance,window_start,
    /// window_length,changed_share,l1,l2,dtw,distance_to_neighbour</c>, then the counterfactual's values (<c>t0,t1,…</c>;
    /// <c>c0_t0,…</c> for several channels), empty when none was found. Classes as the data files write them.
    /// </summary>
    internal static string ToCsv(CounterfactualResults results)
    {
        var (channels, length) = (results.Channels, results.Length);
        var valueColumns = Enumerable.Range(0, channels * length)
            .Select(i => channels == 1 ? $"t{i}" : $"c{i / length}_t{i % length}");
        var csv = new StringBuilder();
        csv.Append(Csv.Row(["item", "outcome", "predicted", "target", "p_before", "p_after", "neighbour", "neighbour_distance",
            "window_start", "window_length", "changed_share", "l1", "l2", "dtw", "distance_to_neighbour", .. valueColumns])).Append('\n');
        foreach (var c in results.Items)
        {
            string Number(double value) => double.IsNaN(value) ? "" : Csv.Number(value);
            var found = c.Found;
            csv.Append(Csv.Row([
                c.Item.ToString(CultureInfo.InvariantCulture),
                c.Outcome switch { CounterfactualOutcome.Found => "found", CounterfactualOutcome.NotFlipped => "not_flipped", _ => "no_neighbour" },
                results.Classes[c.Predicted], results.Classes[c.Target],
                Csv.Number(c.ProbabilitiesBefore[c.Target]),
                c.ProbabilitiesAfter is { } after ? Csv.Number(after[c.Target]) : "",
                c.Neighbour >= 0 ? c.Neighbour.ToString(CultureInfo.InvariantCulture) : "",
                Number(c.NeighbourDistance),
                found ? c.WindowStart.ToString(CultureInfo.InvariantCulture) : "",
                found ? c.WindowLength.ToString(CultureInfo.InvariantCulture) : "",
                found ? Csv.Number(c.ChangedShare) : "",
                Number(c.L1), Number(c.L2), Number(c.Dtw), Number(c.DistanceToNeighbour),
                .. c.Values is { } values ? values.Select(Csv.Number) : Enumerable.Repeat("", channels * length)])).Append('\n');
        }
        return csv.ToString();
    }
}
