using System.CommandLine;
using System.Text;
using Chronoscope.Cli.Output;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Reports;
using Chronoscope.Training;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope predict</c>: a saved model's class probabilities for every series of some files, as a CSV
/// (<c>file,index,label,predicted,confidence,p_&lt;class&gt;...</c>), with a summary and, for labelled files, the accuracy.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var model = ModelOption();
        var files = new Argument<string[]>("files")
        {
            Description = "Dataset files to predict (.arff, .ts, .tsv, .txt or .csv), labelled or not; read as the model's training data was prepared.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out")
        {
            Description = "The CSV to write: file,index,label (when labelled),predicted,confidence,p_<class> per class; - for standard output (the summary then goes to standard error).",
            HelpName = "file",
            DefaultValueFactory = _ => "predictions.csv",
        };
        var batchSize = BatchSizeOption();
        var nonFinite = NonFiniteValues.Option();
        var precision = PrecisionOption();
        var command = new Command("predict", "Predict the class of every series of some files with a trained model and write the probabilities as CSV.")
        {
            model, files, output, batchSize, nonFinite, precision,
        };
        command.SetAction(parse =>
        {
            var modelPath = parse.GetRequiredValue(model);
            var paths = parse.GetRequiredValue(files);
            var outPath = parse.GetRequiredValue(output);
            OutputFiles.Check("--out", outPath, [modelPath, .. paths]);
            using var classifier = TimeSeriesClassifier.Load(modelPath);
            classifier.Precision = parse.GetRequiredValue(precision).Value;
            var parts = paths.Select(path => (Path: path, Predictions: Predict(context, classifier, path, parse.GetValue(batchSize), NonFiniteValues.Read(parse, nonFinite)))).ToList();
            var labelled = parts.Any(p => p.Predictions.Targets is not null);
            var classes = classifier.Classes;

            var csv = new StringBuilder();
            csv.Append(Csv.Row(["file", "index", .. labelled ? ["label"] : Array.Empty<string>(), "predicted", "confidence", .. classes.Select(c => $"p_{c}")])).Append('\n');
            foreach (var (path, predictions) in parts)
            {
                for (var i = 0; i < predictions.Count; i++)
                {
                    string[] label = !labelled ? [] : [predictions.Targets is { } targets ? classes[targets[i]] : ""];
                    csv.Append(Csv.Row([
                        path, i.ToString(System.Globalization.CultureInfo.InvariantCulture), .. label,
                        predictions.NonFinite.Contains(i) ? ModelWarnings.NoPrediction : predictions.PredictedClass(i), Csv.Number(predictions.Confidence(i)),
                        .. Enumerable.Range(0, classes.Count).Select(k => Csv.Number(predictions.Probability(i, k)))])).Append('\n');
                }
            }
            OutputFiles.WriteAllText(context, outPath, csv.ToString());
            if (outPath == OutputFiles.StandardOutput)
            {
                // Standard output holds the CSV alone; the summary goes to standard error.
                CliContext.WriteLine(context.Error, $"{DescribeModel(modelPath, classifier)}; {Words.Plural(parts.Sum(p => p.Predictions.Count), "row", "rows")} written to standard output");
                return ExitCodes.Success;
            }

            CliContext.WriteLine(context.Output, DescribeModel(modelPath, classifier));
            var rows = parts.Select(p => (IReadOnlyList<string>)
            [
                Markup.Escape(p.Path),
                Words.Number(p.Predictions.Count),
                Markup.Escape(PredictedCounts(p.Predictions)),
                p.Predictions.Accuracy is { } accuracy ? $"{EpochTable.Number(accuracy)} ({p.Predictions.Correct}/{p.Predictions.Count})" : "unlabelled",
            ]).ToList();
            TableWriter.Write(context, ["file", "series", "predicted", "accuracy"], rows, 1);
            var total = parts.Sum(p => p.Predictions.Count);
            var summary = $"wrote {Path.GetFullPath(outPath)}: {Words.Plural(total, "row", "rows")}";
            var scored = parts.Where(p => p.Predictions.Targets is not null).Select(p => p.Predictions).ToList();
            if (parts.Count > 1 && scored.Count > 0)
            {
                var right = scored.Sum(p => p.Correct!.Value);
                var count = scored.Sum(p => p.Count);
                summary += $"; accuracy over the labelled series {EpochTable.Number((double)right / count)} ({right}/{count})";
            }
            CliContext.WriteLine(context.Output, summary);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>--model FILE</c>, required: a model written by <c>chronoscope train</c>.</summary>
    internal static Option<string> ModelOption() => new("--model")
    {
        Description = $"The model file, e.g. <run folder>/{TrainCommand.ModelFile} as 'chronoscope train' writes it.",
        HelpName = "file",
        Required = true,
    };

    /// <summary><c>--batch-size</c> for inference.</summary>
    internal static Option<int> BatchSizeOption() =>
        new Option<int>("--batch-size") { Description = "Series per batch (memory, not results).", DefaultValueFactory = _ => 64 }.AtLeast(1, OptionRanges.MaxBatchSize);

    /// <summary><c>--precision fp32|bf16</c>: the number type predictions compute their convolutions in.</summary>
    internal static Option<Choice<InferencePrecision>> PrecisionOption() => Choice.Option("--precision",
        "The number type the convolutions compute in: fp32 (the saved network's numbers), or bf16 (bfloat16 convolutions, the rest in float32: faster only where the CPU has AVX512-BF16 or AMX; probabilities move by up to about 0.01, so a series near the decision boundary may change class).",
        [.. Enum.GetValues<InferencePrecision>().Select(p => new Choice<InferencePrecision>(SettingNames.Of(p), p))], SettingNames.Of(InferencePrecision.Float32));

    /// <summary>The predictions of one file; a file whose channels or labels do not fit the model is a <see cref="DatasetFormatException"/> naming it.</summary>
    internal static Predictions Predict(CliContext context, TimeSeriesClassifier classifier, string path, int batchSize, ReadOptions read)
    {
        var data = ModelData.Read(context, classifier, path, read);
        using var loader = classifier.CreateLoader(data, batchSize);
        ModelWarnings.Memory(context, classifier.PredictionMemory(loader));
        var predictions = classifier.Predict(loader);
        ModelWarnings.NonFinite(context, predictions, path);
        return predictions;
    }

    /// <summary>"model.chronoscope: GunPoint, 1 channel, 2 classes (1, 2), trained 25 epochs (official: ...)".</summary>
    internal static string DescribeModel(string path, TimeSeriesClassifier classifier)
    {
        var training = classifier.Training is { } t ? $", trained {Words.Plural(t.Epochs, "epoch", "epochs")} ({t.Split})" : "";
        var precision = classifier.Precision == InferencePrecision.Float32 ? ""
            : $"; predicting in {SettingNames.Of(classifier.Precision)}{(TorchRuntime.NativeBFloat16 ? "" : " (this CPU computes bfloat16 without native support: slower than fp32)")}";
        return $"model {path}: {classifier.DatasetName}, {Words.Plural(classifier.Model.InputChannels, "channel", "channels")}, " +
            $"{Words.Plural(classifier.Classes.Count, "class", "classes")} ({string.Join(", ", classifier.Classes)}){training}{precision}";
    }

    /// <summary>"1: 40, 2: 38", and "?: 2" for series without a prediction (the network's output was not finite).</summary>
    private static string PredictedCounts(Predictions predictions)
    {
        var counts = predictions.PredictedCounts();
        var text = string.Join(", ", Enumerable.Range(0, counts.Count).Select(k => $"{predictions.Classes[k]}: {counts[k]}"));
        return predictions.NonFinite.Count == 0 ? text : $"{text}, {ModelWarnings.NoPrediction}: {predictions.NonFinite.Count}";
    }
}
