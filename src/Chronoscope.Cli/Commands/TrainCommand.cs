using System.CommandLine;
using System.Diagnostics;
using Chronoscope.Cli.Output;
using Chronoscope.Inference;
using Chronoscope.Plotting;
using Chronoscope.Reports;
using Chronoscope.Training;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope train</c>: InceptionTime trained with one-cycle on a dataset, the epoch table printed as fastai
/// prints it, and a run folder with the model, metrics.json, epochs.csv and the loss, schedule and confusion pictures.
/// </summary>
internal static partial class TrainCommand
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
        var epochs = new Option<int?>("--epochs")
        {
            Description = "Epochs to train; auto (the default): enough for 500 optimizer steps and at least 25 epochs, within a bound on the work (series × time steps), validating every few epochs: at most 10 rows, validation at most about a quarter of the work.",
        }.AtLeastOrAuto(1, OptionRanges.MaxEpochs);
        var ensemble = new Option<int>("--ensemble")
        {
            Description = "Networks to train, from seeds --seed, --seed+1, ...; the model averages their softmax probabilities (InceptionTime proper is an ensemble of 5). One model file holds them all.",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        }.AtLeast(1, Models.NetworkLimits.MaxMembers);
        var learningRate = new Option<double>("--lr")
        {
            Description = "The peak learning rate of the one-cycle schedule (the reference tutorial's is 1e-3).",
            DefaultValueFactory = _ => new TrainingBudget().MaxLearningRate,
        }.Positive();
        var metrics = Choice.List("--metrics", $"Validation metrics, comma-separated, a column each in the table: {string.Join(", ", Metric.BuiltIn.Select(m => m.Name))}.",
            [.. Metric.BuiltIn.Select(m => new Choice<Metric>(m.Name, m))], Metric.Accuracy.Name, all: false);
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
        var parallel = new Option<bool>("--parallel")
        {
            Description = "With --ensemble: train the networks at the same time, each in a process of its own (this program run again), --threads divided between them: as many at once as there are threads, one thread each at least.",
        };
        var memberOf = new Option<int?>(MemberOption) { Hidden = true, Description = "Internal (--parallel): this process trains network N (from 0) of an ensemble, from seed --seed + N, its batches shuffled by --seed as the ensemble's." }.AtLeast(0, Models.NetworkLimits.MaxMembers - 1);
        var noReport = new Option<bool>("--no-report") { Description = $"Do not write {ReportCommand.ReportFile} (the HTML report, which explains every validation series; 'chronoscope report' writes it later)." };
        var command = new Command("train", $"Train InceptionTime with the one-cycle policy and write the model, metrics.json, epochs.csv, pictures of the loss, schedule and confusion matrix, and the HTML report ({ReportCommand.ReportFile}).");
        arguments.AddTo(command, epochs, ensemble, parallel, memberOf, learningRate, metrics, earlyStopping, monitor, noReport);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var total = Stopwatch.StartNew();
            IReadOnlyList<Metric> chosen = [.. parse.GetRequiredValue(metrics).Select(m => m.Value)];
            if (parse.GetResult(monitor) is { Implicit: false } && parse.GetValue(earlyStopping) is null)
                throw new UsageException("--monitor: only with --early-stopping N, which it tells what to watch.");
            var watched = parse.GetRequiredValue(monitor);
            string[] monitorable = ["valid_loss", "train_loss", .. chosen.Select(m => m.Name)];
            if (!monitorable.Contains(watched, StringComparer.Ordinal))
                throw new UsageException($"--monitor {watched}: expected one of {string.Join(", ", monitorable)}.");
            var patience = parse.GetValue(earlyStopping);
            var requestedEpochs = parse.GetValue(epochs);
            var members = parse.GetValue(ensemble);
            var maxLearningRate = parse.GetValue(learningRate);
            var threads = arguments.ApplyThreads(parse);
            var learnerOptions = arguments.ReadLearner(parse, chosen);
            if (parse.GetValue(parallel) && members < 2)
                throw new UsageException("--parallel trains the networks of an ensemble at the same time: give --ensemble 2 or more.");
            if (parse.GetValue(memberOf) is { } memberIndex)
                learnerOptions = learnerOptions with { Seed = learnerOptions.Seed + memberIndex };

            using var data = await arguments.LoadAsync(context, parse, cancellationToken).ConfigureAwait(false);
            var loadTime = total.Elapsed;
            NetworkArguments.CheckSize(data.Loaders.Channels, data.Loaders.Classes.Count, learnerOptions.Model);
            TrainingArguments.CheckMemory(context, data, learnerOptions.Model); // before the budget counts the batches
            var budget = new TrainingBudget { MaxLearningRate = maxLearningRate };
            var firstCycle = requestedEpochs ?? budget.Epochs(data.Loaders.Train);
            var secondCycle = requestedEpochs is null ? budget.SecondCycleEpochs(data.Loaders.Train) : 0;
            var epochCount = firstCycle + secondCycle; // the most: a second cycle runs only if the first leaves the loss far above its floor
            var upTo = secondCycle > 0 ? "up to " : "";
            var epochsText = upTo + Words.Plural(epochCount, "epoch", "epochs");
            if (requestedEpochs is null)
                learnerOptions = learnerOptions with { ValidationInterval = budget.ValidationInterval(epochCount, data.Loaders) };
            var folder = RunFolder.Create(parse.GetValue(arguments.Out), data.Name, DateTime.Now);
            var trained = new List<TimeSeriesClassifier>();
            Learner? learner = null;
            try
            {
                foreach (var file in RunFiles)
                    OutputFiles.Check("--out", folder.File(file), [data.TrainPath, data.TestPath]);
                CliContext.WriteLine(context.Output, data.Describe());
                foreach (var choice in SettingNames.Chosen(data.Loaders))
                    CliContext.WriteLine(context.Output, choice);
                var train = data.Loaders.Train;
                var steps = (long)firstCycle * train.BatchCount;
                var secondCycleText = secondCycle > 0 ? $"; a second cycle of {Words.Number(secondCycle)} more at max lr {Words.Value(budget.MaxLearningRate / budget.SecondCycleDivisor)} if the first ends with the training loss more than {Words.Value(UnderfitCheck.Margin)} above its floor" : "";
                var budgetText = requestedEpochs is null
                    ? $"{Words.Plural(firstCycle, "epoch", "epochs")} (auto: {Words.Number(steps)} optimizer steps of {train.BatchCount} per epoch{(learnerOptions.ValidationInterval > 1 ? $", validating every {learnerOptions.ValidationInterval} epochs" : "")}{secondCycleText})"
                    : Words.Plural(epochCount, "epoch", "epochs");
                var ensembleText = members > 1 ? $"an ensemble of {members}, " : "";
                learner = TrainingArguments.Quiet(Learner.Create(data.Loaders, learnerOptions));
                CliContext.WriteLine(context.Output,
                    $"InceptionTime ({parse.GetRequiredValue(arguments.Network.Variant)}), {ensembleText}{Words.Number(learner.Model.ParameterCount)} parameters{(members > 1 ? " each" : "")}; " +
                    $"one-cycle, {budgetText} at max lr {Words.Value(maxLearningRate)}, batch size {train.BatchSize}, " +
                    $"{parse.GetRequiredValue(arguments.Optimizer)}, {parse.GetRequiredValue(arguments.Loss)}, {TrainingArguments.DescribePrecision(learner)}, seed {learnerOptions.Seed}, {TrainingArguments.DescribeThreads(threads)}");
                if (requestedEpochs is null && budget.FallsShort(train))
                {
                    CliContext.WriteLine(context.Output,
                        $"note: {Words.Number(steps)} optimizer steps, short of {Words.Number(budget.MinimumSteps)}: the work bound of {Words.Number(budget.MaximumWork)} series × time steps holds series this long to the floor of {budget.MinimumEpochs} epochs. More epochs (--epochs N) may pay where accuracy is worth the time (the archive's ACSF1, 100 series of 1,460 steps: 0.85 in 25 epochs, 0.88 in 42, 0.89 in 68).",
                        new Style(Color.Yellow));
                }

                var table = new EpochTable([.. chosen.Select(m => m.Name)]);
                if (parse.GetValue(parallel))
                {
                    learner.Dispose();
                    learner = null;
                    return await TrainInParallelAsync(context, parse, new ParallelRun(data, folder, members, epochsText, learnerOptions, chosen, threads, loadTime, total, parse.GetValue(noReport),
                        [arguments.Seed, arguments.Threads, arguments.Out, ensemble, parallel, memberOf, noReport]), cancellationToken).ConfigureAwait(false);
                }
                var fitWatch = Stopwatch.StartNew();
                var csv = new CsvLogger(folder.File(EpochsFile));
                FitResult? fit = null;
                var seeds = new List<int>();
                var memberResults = new List<EpochResult>();
                for (var member = 0; member < members; member++)
                {
                    var seed = learnerOptions.Seed + member;
                    if (members > 1)
                    {
                        CliContext.WriteLine(context.Output, $"network {member + 1} of {members} (seed {seed})");
                        csv.Member = member + 1;
                    }
                    if (member > 0)
                    {
                        learner.Dispose();
                        learner = TrainingArguments.Quiet(Learner.Create(data.Loaders, learnerOptions with { Seed = seed }));
                    }
                    var divergence = new StopOnNonFiniteLoss();
                    var current = learner;
                    fit = new TrainingDisplay(context, table).Run("epoch", progress =>
                    {
                        List<Callback> callbacks = [new ProgressReporter(progress), csv, divergence];
                        if (patience is { } p)
                            callbacks.Add(new EarlyStopping(new MetricMonitor(watched), p));
                        return requestedEpochs is null
                            ? current.FitOneCycle(budget, callbacks, cancellationToken)
                            : current.FitOneCycle(epochCount, maxLearningRate, null, callbacks, cancellationToken);
                    });

                    if (divergence.Triggered)
                    {
                        // Weights that diverged are not worth keeping: no model, no pictures; the finished epochs stay in epochs.csv.
                        var kept = KeepFinishedEpochs(folder, csv.HasRows);
                        var which = members > 1 ? $"network {member + 1} of {members} " : "";
                        context.WriteError($"error: {which}stopped after {Words.Plural(fit.EpochsTrained, "epoch", "epochs")} of {upTo}{epochCount}: {divergence.Reason} No model written ({kept}).");
                        return ExitCodes.Failure;
                    }
                    if (fit.Cancelled || fit.Last is null)
                    {
                        var kept = KeepFinishedEpochs(folder, csv.HasRows);
                        context.WriteError($"cancelled after {Words.Plural(fit.EpochsTrained, "epoch", "epochs")} of {upTo}{epochCount}{(members > 1 ? $" of network {member + 1} of {members}" : "")}: no model or pictures written ({kept}).");
                        return ExitCodes.Cancelled;
                    }
                    if (fit.StopReason is not null)
                        CliContext.WriteLine(context.Output, $"stopped early: {fit.StopReason}");
                    seeds.Add(seed);
                    memberResults.Add(fit.Last);
                    if (members > 1)
                    {
                        learner.Classifier.Training = learner.LastFit;
                        trained.Add(TimeSeriesClassifier.Ensemble([learner.Classifier]));
                    }
                }
                var fitTime = fitWatch.Elapsed;
                var last = learner!;

                var saveWatch = Stopwatch.StartNew();
                var record = RunRecord.Create(last, fit!, new RunDescription
                {
                    CommandLine = CommandLine(parse),
                    DatasetName = data.Name,
                    Origin = data.Origin,
                    TrainFile = data.TrainPath,
                    TestFile = data.TestPath,
                    RequestedEpochs = fit!.EpochsTrained > firstCycle ? epochCount : firstCycle, // whether the second cycle ran
                    MaxLearningRate = maxLearningRate,
                    EarlyStopping = patience is { } wait ? new RunRecord.EarlyStoppingPart(wait, watched) : null,
                    Threads = threads,
                    ModelFile = ModelFile,
                    LoadTime = loadTime,
                    TotalTime = total.Elapsed,
                });
                if (members > 1) // the record's fit time is every network's, not the last one's
                    record = record with { Timings = record.Timings with { FitSeconds = fitTime.TotalSeconds } };
                var classifier = last.Classifier;
                using var combined = members > 1 ? TimeSeriesClassifier.Ensemble(trained) : null;
                var finalMetrics = fit!.Last!.Metrics.ToList();
                var finalConfusion = fit.Last.Confusion;
                if (combined is not null)
                {
                    classifier = combined;
                    (record, finalMetrics, finalConfusion) = CombineMembers(context, record, combined, data.Loaders.Valid, chosen, learnerOptions, seeds,
                        [.. memberResults.Select(r => new MemberResult(r.Metrics.ToDictionary(), r.ValidLoss))]);
                }
                if (combined is null)
                    last.Save(folder.File(ModelFile)); // the learner's classifier with its training summary
                else
                    combined.Save(folder.File(ModelFile));
                SavePictures(last, finalConfusion, combined is null ? $"epoch {fit.Last.Epoch}" : $"ensemble of {members}", folder);
                var trainedText = members > 1 ? $"{members} networks of {epochsText}" : Words.Plural(fit.EpochsTrained, "epoch", "epochs");
                return Finish(context, record, classifier, data, folder, finalMetrics, saveWatch, total, parse.GetValue(noReport), $"{trainedText} in {Words.Seconds(fitTime)}", cancellationToken);
            }
            catch
            {
                folder.RemoveIfEmpty(); // a failed run leaves no empty folder behind
                throw;
            }
            finally
            {
                learner?.Dispose();
                trained.ForEach(c => c.Dispose());
            }
        });
        return command;
    }

    /// <summary>What one network of an ensemble reached at its last epoch.</summary>
    private sealed record MemberResult(IReadOnlyDictionary<string, double> Metrics, double ValidLoss);

    /// <summary>
    /// An ensemble's record, final metrics and confusion matrix: <paramref name="record"/> (of its last network) with the
    /// ensemble's predictions of the validation set, its members, and its parameters counted over every network; prints the
    /// ensemble's metrics next to each network's alone.
    /// </summary>
    private static (RunRecord Record, List<KeyValuePair<string, double>> Metrics, ConfusionMatrix Confusion) CombineMembers(
        CliContext context, RunRecord record, TimeSeriesClassifier combined, Data.DataLoader valid, IReadOnlyList<Metric> chosen, LearnerOptions learnerOptions,
        IReadOnlyList<int> seeds, IReadOnlyList<MemberResult> memberResults)
    {
        var members = memberResults.Count;
        var predictions = combined.Predict(valid);
        var finalConfusion = predictions.Confusion()!;
        List<KeyValuePair<string, double>> finalMetrics = [.. chosen.Select(m => KeyValuePair.Create(m.Name, m.Compute(finalConfusion)))];
        var validLoss = ValidLoss(predictions, learnerOptions);
        record = record with
        {
            Ensemble = new RunRecord.EnsemblePart(members, seeds, [.. memberResults.Select(r => r.Metrics)], [.. memberResults.Select(r => r.ValidLoss)]),
            Model = record.Model with { Parameters = record.Model.Parameters * members },
            Final = record.Final with { ValidLoss = validLoss, Metrics = finalMetrics.ToDictionary() },
            ConfusionMatrix = new RunRecord.ConfusionPart(finalConfusion.Classes, finalConfusion.ToRows()),
        };
        foreach (var metric in finalMetrics)
        {
            var each = string.Join(", ", memberResults.Select(r => EpochTable.Number(r.Metrics[metric.Key])));
            CliContext.WriteLine(context.Output, $"ensemble of {members}: {metric.Key} {EpochTable.Number(metric.Value)} (networks alone: {each})");
        }
        return (record, finalMetrics, finalConfusion);
    }

    /// <summary>
    /// After the model and the pictures are saved: metrics.json with the timings, the report unless
    /// <paramref name="noReport"/>, stale files of an earlier run removed, and the final lines.
    /// </summary>
    private static int Finish(
        CliContext context, RunRecord record, TimeSeriesClassifier classifier, TrainingData data, RunFolder folder, IReadOnlyList<KeyValuePair<string, double>> finalMetrics,
        Stopwatch saveWatch, Stopwatch total, bool noReport, string trained, CancellationToken cancellationToken)
    {
        record = record with { Timings = record.Timings with { SaveSeconds = saveWatch.Elapsed.TotalSeconds, TotalSeconds = total.Elapsed.TotalSeconds } };
        record.Save(folder.File(MetricsFile));
        var written = $"{ModelFile}, {MetricsFile}, {EpochsFile}, loss.png/svg, schedule.png/svg, confusion.png/svg";
        if (!noReport)
        {
            ReportCommand.Write(context, record, classifier, data.Loaders.Valid, new RunReportOptions { Training = data.Loaders.Train.Dataset },
                folder.File(ReportCommand.ReportFile), linesWhenRedirected: false, cancellationToken);
            written += $", {ReportCommand.ReportFile}";
        }

        folder.RemoveStale(noReport ? [ReportCommand.ReportFile] : []);
        var final = string.Join(", ", [.. finalMetrics.Select(m => $"{m.Key} {EpochTable.Number(m.Value)}"), $"valid_loss {EpochTable.Number(record.Final.ValidLoss)}"]);
        CliContext.WriteLine(context.Output, $"final: {final} after {trained}");
        context.WriteDone($"wrote {folder.Path}: {written}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// After a fit that writes no model: removes the run folder when this run made it and left it empty, and says what
    /// is in it, the earlier run's files included when the folder held one (they are kept: a stopped run destroys nothing).
    /// </summary>
    private static string KeepFinishedEpochs(RunFolder folder, bool wroteEpochs)
    {
        if (folder.Created)
            return folder.RemoveIfEmpty() ? "nothing written" : $"{EpochsFile} in {folder.Path} keeps the finished epochs";
        return wroteEpochs
            ? $"{EpochsFile} in {folder.Path} now holds this run's finished epochs; its other files are the earlier run's"
            : $"{folder.Path} keeps the earlier run's files";
    }

    /// <summary>
    /// The learner's validation loss of probabilities <paramref name="predictions"/> (an ensemble's mean): cross-entropy
    /// against targets smoothed by <see cref="LearnerOptions.LabelSmoothing"/> when the loss is label smoothing, as the
    /// members' validation loss is.
    /// </summary>
    private static double ValidLoss(Predictions predictions, LearnerOptions options)
    {
        var smoothing = options.Loss == LossKind.LabelSmoothingCrossEntropy ? options.LabelSmoothing : 0;
        var classes = predictions.Classes.Count;
        var sum = 0.0;
        for (var i = 0; i < predictions.Count; i++)
        {
            var all = 0.0;
            for (var k = 0; k < classes; k++)
                all -= Math.Log(Math.Max(predictions.Probability(i, k), float.Epsilon));
            sum += (1 - smoothing) * -Math.Log(Math.Max(predictions.Probability(i, predictions.Targets![i]), float.Epsilon)) + smoothing * all / classes;
        }
        return sum / predictions.Count;
    }

    /// <summary>loss and schedule (of the last network trained) and confusion as PNG and SVG.</summary>
    private static void SavePictures(Learner learner, ConfusionMatrix confusion, string confusionOf, RunFolder folder)
    {
        using (var loss = Pictures.PlotLoss(LossHistory.From(learner.Recorder)))
            loss.SavePngAndSvg(folder.Path, "loss");
        using (var schedule = Pictures.PlotSchedule(ScheduleHistory.From(learner.Recorder)))
            schedule.SavePngAndSvg(folder.Path, "schedule");
        SaveConfusion(confusion, confusionOf, folder);
    }

    private static void SaveConfusion(ConfusionMatrix confusion, string confusionOf, RunFolder folder)
    {
        using var picture = Pictures.PlotConfusionMatrix(ConfusionCounts.From(confusion), new ConfusionMatrixPlotOptions { Title = $"Confusion matrix ({confusionOf})" });
        picture.SavePngAndSvg(folder.Path, "confusion");
    }

    /// <summary>The command line as typed (arguments with spaces quoted), for metrics.json.</summary>
    internal static string CommandLine(ParseResult parse) =>
        string.Join(' ', ["chronoscope", .. parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) || t.Value.Length == 0 ? $"\"{t.Value}\"" : t.Value)]);
}
