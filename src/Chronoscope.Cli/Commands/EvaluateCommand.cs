using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Chronoscope.Cli.Output;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Reports;
using Chronoscope.Training;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope evaluate</c>: a saved model scored on labelled files: accuracy, balanced accuracy, macro F1, error rate,
/// the confusion matrix, the most confused pairs and the series with the highest loss.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = PredictCommand.ModelOption();
        var files = new Argument<string[]>("files")
        {
            Description = "Labelled dataset files (.arff, .ts, .tsv, .txt or .csv), scored together; item indices run across them in order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<string?>("--json") { Description = "Also write the numbers to this JSON file; - for standard output (then only the JSON is printed).", HelpName = "file" };
        var top = new Option<int>("--top") { Description = "How many of the highest-loss series to list.", DefaultValueFactory = _ => 10 }.AtLeast(0, 1_000_000);
        var batchSize = PredictCommand.BatchSizeOption();
        var nonFinite = NonFiniteValues.Option();
        var precision = PredictCommand.PrecisionOption();
        var command = new Command("evaluate", "Score a trained model on labelled files: accuracy, balanced accuracy, macro F1, error rate, confusion matrix, most confused classes and top losses.")
        {
            model, files, json, top, batchSize, nonFinite, precision,
        };
        command.SetAction(parse =>
        {
            var modelPath = parse.GetRequiredValue(model);
            var paths = parse.GetRequiredValue(files);
            var jsonOut = parse.GetValue(json);
            if (jsonOut is not null)
                OutputFiles.Check("--json", jsonOut, [modelPath, .. paths]);
            using var classifier = TimeSeriesClassifier.Load(modelPath);
            classifier.Precision = parse.GetRequiredValue(precision).Value;
            var parts = new List<Predictions>();
            foreach (var path in paths)
            {
                var data = ModelData.Read(context, classifier, path, NonFiniteValues.Read(parse, nonFinite));
                if (data.Labels is null)
                    throw new DatasetFormatException(path, null, "has no class labels; evaluate needs labelled series ('chronoscope predict' works without).");
                using var loader = classifier.CreateLoader(data, parse.GetValue(batchSize));
                ModelWarnings.Memory(context, classifier.PredictionMemory(loader));
                var part = classifier.Predict(loader);
                ModelWarnings.NonFinite(context, part.NonFinite, path, scored: true);
                parts.Add(part);
            }
            var predictions = Predictions.Concatenate(parts);
            var confusion = predictions.Confusion()!;
            var evaluation = Evaluation.Of(predictions, confusion, paths, [.. parts.Select(p => p.Count)], parse.GetValue(top));
            if (jsonOut == OutputFiles.StandardOutput)
            {
                OutputFiles.WriteAllText(context, jsonOut, JsonSerializer.Serialize(evaluation with { Model = Path.GetFullPath(modelPath) }, RunRecord.JsonOptions) + "\n");
                return ExitCodes.Success;
            }

            CliContext.WriteLine(context.Output, PredictCommand.DescribeModel(modelPath, classifier));
            CliContext.WriteLine(context.Output, $"{string.Join(", ", paths)}: {Words.Plural(predictions.Count, "labelled series", "labelled series")}");
            CliContext.WriteLine(context.Output, "");
            TableWriter.Write(context, null,
            [
                ["accuracy", EpochTable.Number(evaluation.Accuracy)],
                ["balanced_accuracy", EpochTable.Number(evaluation.BalancedAccuracy)],
                ["f1_macro", EpochTable.Number(evaluation.F1Macro)],
                ["error_rate", EpochTable.Number(evaluation.ErrorRate)],
                .. evaluation.NonFinite == 0 ? [] : (IReadOnlyList<string>[])[["no_prediction", Words.Number(evaluation.NonFinite)]],
            ], 1);

            CliContext.WriteLine(context.Output, "");
            if (ConfusionRows(confusion) is var (numbered, header, rows))
            {
                CliContext.WriteLine(context.Output, numbered
                    ? "confusion matrix (actual down, predicted across, numbered as the rows):"
                    : "confusion matrix (actual down, predicted across):");
                TableWriter.Write(context, [.. header.Select(Markup.Escape)], [.. rows.Select(r => (IReadOnlyList<string>)[.. r.Select(Markup.Escape)])],
                    [.. Enumerable.Range(1, confusion.Classes.Count)]);
            }
            else
            {
                CliContext.WriteLine(context.Output,
                    $"confusion matrix: {confusion.Classes.Count} classes, more than a terminal shows ({MaxPrintedClasses}); --json writes it whole.");
            }

            CliContext.WriteLine(context.Output, "");
            if (evaluation.MostConfused.Count == 0)
            {
                CliContext.WriteLine(context.Output, "most confused: none, every series is predicted right");
            }
            else
            {
                CliContext.WriteLine(context.Output, "most confused:");
                TableWriter.Write(context, ["actual", "predicted", "series"],
                    [.. evaluation.MostConfused.Select(m => (IReadOnlyList<string>)[Markup.Escape(m.Actual), Markup.Escape(m.Predicted), Words.Number(m.Count)])], 2);
            }

            if (evaluation.TopLosses.Count > 0)
            {
                CliContext.WriteLine(context.Output, "");
                CliContext.WriteLine(context.Output, "top losses:");
                var several = paths.Length > 1;
                TableWriter.Write(context, ["item", .. several ? ["file", "index"] : Array.Empty<string>(), "actual", "predicted", "loss", "p(actual)"],
                    [.. evaluation.TopLosses.Select(t => (IReadOnlyList<string>)
                    [
                        t.Item.ToString(CultureInfo.InvariantCulture),
                        .. several ? [Markup.Escape(t.File), t.Index.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                        Markup.Escape(t.Actual), Markup.Escape(t.Predicted),
                        t.Loss.ToString("F4", CultureInfo.InvariantCulture), t.ActualProbability.ToString("F4", CultureInfo.InvariantCulture),
                    ])],
                    several ? [0, 2, 5, 6] : [0, 3, 4]);
            }

            if (parse.GetValue(json) is { } jsonPath)
            {
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(evaluation with { Model = Path.GetFullPath(modelPath) }, RunRecord.JsonOptions) + "\n");
                CliContext.WriteLine(context.Output, "");
                CliContext.WriteLine(context.Output, $"wrote {Path.GetFullPath(jsonPath)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // Wider than this, a row of class names as column titles wraps in a terminal: the columns are numbered instead.
    private const int MaxNamedColumnsWidth = 80;

    // More classes than this make a matrix wider than a terminal even numbered (ShapesAll's 60: 250 columns).
    private const int MaxPrintedClasses = 20;

    /// <summary>
    /// The confusion matrix's table: class names across, or, when they would not fit a terminal's line, numbers across
    /// and each row's number before its name; null for more classes than <see cref="MaxPrintedClasses"/>.
    /// </summary>
    internal static (bool Numbered, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)? ConfusionRows(ConfusionMatrix confusion)
    {
        var classes = confusion.Classes;
        if (classes.Count > MaxPrintedClasses)
            return null;
        var numbered = classes.Sum(c => c.Length + 2) > MaxNamedColumnsWidth;
        IReadOnlyList<string> header = ["actual \\ predicted", .. numbered ? classes.Select((_, i) => Words.Number(i)) : classes];
        IReadOnlyList<IReadOnlyList<string>> rows = [.. Enumerable.Range(0, classes.Count).Select(a => (IReadOnlyList<string>)
            [numbered ? $"{Words.Number(a)} {classes[a]}" : classes[a], .. Enumerable.Range(0, classes.Count).Select(p => Words.Number(confusion[a, p]))])];
        return (numbered, header, rows);
    }

    /// <summary>
    /// What <c>evaluate</c> reports, and writes with <c>--json</c>. <see cref="NonFinite"/> series (the network's output
    /// was not finite) have no prediction: they are in no cell of the confusion matrix and every metric counts them as wrong.
    /// </summary>
    internal sealed record Evaluation(
        string Model,
        IReadOnlyList<string> Files,
        int Count,
        int NonFinite,
        double Accuracy,
        double BalancedAccuracy,
        double F1Macro,
        double ErrorRate,
        RunRecord.ConfusionPart ConfusionMatrix,
        IReadOnlyList<ConfusedPair> MostConfused,
        IReadOnlyList<TopLoss> TopLosses)
    {
        public static Evaluation Of(Predictions predictions, ConfusionMatrix confusion, IReadOnlyList<string> files, IReadOnlyList<int> counts, int top)
        {
            var starts = new int[counts.Count];
            for (var f = 1; f < counts.Count; f++)
                starts[f] = starts[f - 1] + counts[f - 1];
            var losses = predictions.TopLosses(top).Select(item =>
            {
                var file = Array.FindLastIndex(starts, s => s <= item);
                var actual = predictions.Targets![item];
                var predicted = predictions.HasPrediction(item) ? predictions.PredictedClass(item) : ModelWarnings.NoPrediction;
                return new TopLoss(item, files[file], item - starts[file], predictions.Classes[actual], predicted,
                    predictions.Losses![item], predictions.Probability(item, actual));
            }).ToList();
            return new Evaluation("", files, predictions.Count, predictions.NonFinite.Count,
                confusion.Accuracy, confusion.BalancedAccuracy, confusion.MacroF1, confusion.ErrorRate,
                new RunRecord.ConfusionPart(confusion.Classes, confusion.ToRows()),
                [.. confusion.MostConfused().Select(m => new ConfusedPair(m.Actual, m.Predicted, m.Count))],
                losses);
        }
    }

    internal sealed record ConfusedPair(string Actual, string Predicted, long Count);

    /// <summary>A series with a high loss: its index across all files, its file and index within it.</summary>
    internal sealed record TopLoss(int Item, string File, int Index, string Actual, string Predicted, double Loss, double ActualProbability);
}
