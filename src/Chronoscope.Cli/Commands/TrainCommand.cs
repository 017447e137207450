using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using Chronoscope.Cli.Output;
using Chronoscope.Plotting;
using Chronoscope.Reports;
using Chronoscope.Training;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope train</c>: InceptionTime trained with one-cycle on a dataset, the epoch table printed as fastai
/// prints it, and a run folder with the model, metrics.json, epochs.csv and the loss, schedule and confusion pictures.
/// </summary>
internal static class TrainCommand
{
    public const string ModelFile = "model.chronoscope";
    public const string MetricsFile = "metrics.json";
    public const string EpochsFile = "epochs.csv";

    /// <summary>Every file a run writes into its folder; a file of a previous run among these that this run did not write is removed.</summary>
    internal static readonly string[] RunFiles =
        [ModelFile, MetricsFile, EpochsFile, "loss.png", "loss.svg", "schedule.png", "schedule.svg", "confusion.png", "confusion.svg", ReportCommand.ReportFile];

    public static Command Create(CliContext context)
    {
        var arguments = new TrainingArguments();
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train.", DefaultValueFactory = _ => 25 }.AtLeast(1, OptionRanges.MaxEpochs);
        var learningRate = new Option<double>("--lr") { Description = "The peak learning rate of the one-cycle schedule.", DefaultValueFactory = _ => 1e-3 }.Positive();
        var metrics = new Option<IReadOnlyList<Metric>>("--metrics")
        {
            Description = $"Validation metrics, comma-separated, a column each in the table: {string.Join(", ", Metric.BuiltIn.Select(m => m.Name))}.",
            HelpName = "names",
            DefaultValueFactory = _ => [Metric.Accuracy],
            CustomParser = ParseMetrics,
        };
        var earlyStopping = new Option<int?>("--early-stopping")
        {
            Description = "Stop when --monitor has not improved for this many epochs [default: train every epoch].",
            HelpName = "patience",
        }.AtLeast(1, OptionRanges.MaxEpochs);
        var monitor = new Option<string>("--monitor")
        {
            Description = "What --early-stopping watches: valid_loss, train_loss or one of the --metrics (losses and error_rate should fall, the others rise).",
            HelpName = "column",
            DefaultValueFactory = _ => "valid_loss",
        };
        var noReport = new Option<bool>("--no-report") { Description = $"Do not write {ReportCommand.ReportFile} (the HTML report, which explains every validation series; 'chronoscope report' writes it later)." };
        var command = new Command("train", $"Train InceptionTime with the one-cycle policy and write the model, metrics.json, epochs.csv, pictures of the loss, schedule and confusion matrix, and the HTML report ({ReportCommand.ReportFile}).");
        arguments.AddTo(command, epochs, learningRate, metrics, earlyStopping, monitor, noReport);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var total = Stopwatch.StartNew();
            var chosen = parse.GetRequiredValue(metrics);
            var watched = parse.GetRequiredValue(monitor);
            string[] monitorable = ["valid_loss", "train_loss", .. chosen.Select(m => m.Name)];
            if (!monitorable.Contains(watched, StringComparer.Ordinal))
                throw new UsageException($"--monitor {watched}: expected one of {string.Join(", ", monitorable)}.");
            var patience = parse.GetValue(earlyStopping);
            var epochCount = parse.GetValue(epochs);
            var maxLearningRate = parse.GetValue(learningRate);
            var threads = arguments.ApplyThreads(parse);
            var learnerOptions = arguments.ReadLearner(parse, chosen);

            using var data = await arguments.LoadAsync(context, parse, cancellationToken).ConfigureAwait(false);
            var loadTime = total.Elapsed;
            NetworkArguments.CheckSize(data.Loaders.Channels, data.Loaders.Classes.Count, learnerOptions.Model);
            using var learner = Learner.Create(data.Loaders, learnerOptions);
            var folder = RunFolder.Create(parse.GetValue(arguments.Out), data.Name, DateTime.Now);

            try
            {
                foreach (var file in RunFiles)
                    OutputFiles.Check("--out", folder.File(file), [data.TrainPath, data.TestPath]);
                var network = learner.Model.Options;
                CliContext.WriteLine(context.Output, data.Describe());
                CliContext.WriteLine(context.Output,
                    $"InceptionTime ({parse.GetRequiredValue(arguments.Network.Variant)}), {Words.Number(learner.Model.ParameterCount)} parameters; " +
                    $"one-cycle, {Words.Plural(epochCount, "epoch", "epochs")} at max lr {Words.Value(maxLearningRate)}, batch size {data.Loaders.Train.BatchSize}, " +
                    $"{parse.GetRequiredValue(arguments.Optimizer)}, {parse.GetRequiredValue(arguments.Loss)}, seed {learnerOptions.Seed}, {Words.Plural(threads, "thread", "threads")}");

                var table = new EpochTable([.. chosen.Select(m => m.Name)]);
                var fitWatch = Stopwatch.StartNew();
                var divergence = new StopOnNonFiniteLoss();
                var fit = new TrainingDisplay(context, table).Run("epoch", progress =>
                {
                    List<Callback> callbacks = [new ProgressReporter(progress), new CsvLogger(folder.File(EpochsFile)), divergence];
                    if (patience is { } p)
                        callbacks.Add(new EarlyStopping(new MetricMonitor(watched), p));
                    return learner.FitOneCycle(epochCount, maxLearningRate, null, callbacks, cancellationToken);
                });
                var fitTime = fitWatch.Elapsed;

                if (divergence.Triggered)
                {
                    // Weights that diverged are not worth keeping: no model, no pictures; the finished epochs stay in epochs.csv.
                    var removed = folder.RemoveIfEmpty();
                    var kept = removed ? "nothing written" : $"{EpochsFile} in {folder.Path} keeps the finished epochs";
                    context.WriteError($"error: stopped after {Words.Plural(fit.Epochs.Count, "epoch", "epochs")} of {epochCount}: {divergence.Reason} No model written ({kept}).");
                    return ChronoscopeCli.Failure;
                }
                if (fit.Cancelled || fit.Last is null)
                {
                    var removed = folder.RemoveIfEmpty();
                    var kept = removed ? "nothing written" : $"{EpochsFile} in {folder.Path} keeps the finished epochs";
                    context.WriteError($"cancelled after {Words.Plural(fit.Epochs.Count, "epoch", "epochs")} of {epochCount}: no model or pictures written ({kept}).");
                    return ChronoscopeCli.Cancelled;
                }
                if (fit.StopReason is not null)
                    CliContext.WriteLine(context.Output, $"stopped early: {fit.StopReason}");

                var saveWatch = Stopwatch.StartNew();
                learner.Save(folder.File(ModelFile));
                SavePictures(learner, fit.Last, folder);
                var record = RunRecord.Create(learner, fit, new RunDescription
                {
                    CommandLine = CommandLine(parse),
                    DatasetName = data.Name,
                    Origin = data.Origin,
                    TrainFile = data.TrainPath,
                    TestFile = data.TestPath,
                    RequestedEpochs = epochCount,
                    MaxLearningRate = maxLearningRate,
                    EarlyStopping = patience is { } wait ? new RunRecord.EarlyStoppingPart(wait, watched) : null,
                    Threads = threads,
                    ModelFile = ModelFile,
                    LoadTime = loadTime,
                    SaveTime = saveWatch.Elapsed,
                    TotalTime = total.Elapsed,
                });
                record.Save(folder.File(MetricsFile));
                var written = $"{ModelFile}, {MetricsFile}, {EpochsFile}, loss.png/svg, schedule.png/svg, confusion.png/svg";
                if (!parse.GetValue(noReport))
                {
                    ReportCommand.Write(context, record, learner.Classifier, data.Loaders.Valid, new RunReportOptions { Training = data.Loaders.Train.Dataset },
                        folder.File(ReportCommand.ReportFile), linesWhenRedirected: false, cancellationToken);
                    written += $", {ReportCommand.ReportFile}";
                }

                folder.RemoveStale(parse.GetValue(noReport) ? [ReportCommand.ReportFile] : []);
                var final = string.Join(", ", [.. fit.Last.Metrics.Select(m => $"{m.Key} {EpochTable.Number(m.Value)}"), $"valid_loss {EpochTable.Number(fit.Last.ValidLoss)}"]);
                CliContext.WriteLine(context.Output, $"final: {final} after {Words.Plural(fit.Epochs.Count, "epoch", "epochs")} in {Words.Seconds(fitTime)}");
                context.WriteDone($"wrote {folder.Path}: {written}");
                return ChronoscopeCli.Success;
            }
            catch
            {
                folder.RemoveIfEmpty(); // a failed run leaves no empty folder behind
                throw;
            }
        });
        return command;
    }

    /// <summary>loss, schedule and confusion as PNG and SVG.</summary>
    private static void SavePictures(Learner learner, EpochResult last, RunFolder folder)
    {
        using (var loss = Pictures.PlotLoss(LossHistory.From(learner.Recorder)))
            loss.SavePngAndSvg(folder.Path, "loss");
        using (var schedule = Pictures.PlotSchedule(ScheduleHistory.From(learner.Recorder)))
            schedule.SavePngAndSvg(folder.Path, "schedule");
        using (var confusion = Pictures.PlotConfusionMatrix(ConfusionCounts.From(last.Confusion), new ConfusionMatrixPlotOptions { Title = $"Confusion matrix (epoch {last.Epoch})" }))
            confusion.SavePngAndSvg(folder.Path, "confusion");
    }

    /// <summary>"accuracy,f1_macro" → the built-in metrics; an unknown name is a parse error listing the known ones.</summary>
    private static IReadOnlyList<Metric> ParseMetrics(ArgumentResult result)
    {
        var chosen = new List<Metric>();
        foreach (var name in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var metric = Metric.BuiltIn.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
            if (metric is null)
            {
                result.AddError($"--metrics: unknown metric '{name}'; expected some of {string.Join(", ", Metric.BuiltIn.Select(m => m.Name))}");
                return chosen;
            }
            if (!chosen.Contains(metric))
                chosen.Add(metric);
        }
        if (chosen.Count == 0)
            result.AddError($"--metrics: expected at least one of {string.Join(", ", Metric.BuiltIn.Select(m => m.Name))}");
        return chosen;
    }

    /// <summary>The command line as typed (arguments with spaces quoted), for metrics.json.</summary>
    internal static string CommandLine(ParseResult parse) =>
        string.Join(' ', ["chronoscope", .. parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) || t.Value.Length == 0 ? $"\"{t.Value}\"" : t.Value)]);
}
