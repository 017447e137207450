using System.CommandLine;
using System.Text;
using Chronoscope.Cli.Output;
using Chronoscope.Plotting;
using Chronoscope.Reports;
using Chronoscope.Training;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope lr-find</c>: fastai's learning-rate range test on the data and network <c>train</c> would use; prints
/// the three suggestions and writes <c>lr-find.png/svg</c> and the sweep as <c>lr-find.csv</c>.
/// </summary>
internal static class LearningRateFinderCommand
{
    public static Command Create(CliContext context)
    {
        var arguments = new TrainingArguments();
        var start = new Option<double>("--start") { Description = "The first learning rate of the sweep.", DefaultValueFactory = _ => 1e-7 }.Positive();
        var end = new Option<double>("--end") { Description = "The last learning rate of the sweep.", DefaultValueFactory = _ => 10 }.Positive();
        var iterations = new Option<int>("--iterations") { Description = "Training batches of the sweep (it stops earlier once the loss diverges).", DefaultValueFactory = _ => 100 }.AtLeast(2, OptionRanges.MaxEpochs);
        var command = new Command("lr-find", "Find a learning rate: train a few batches with the rate growing from --start to --end, print the suggestions (valley, minimum/10, steepest) and draw the loss against the rate. The model is left untrained.");
        arguments.AddTo(command, start, end, iterations);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var (from, to) = (parse.GetValue(start), parse.GetValue(end));
            if (to <= from)
                throw new UsageException($"--end {Words.Value(to)} must be above --start {Words.Value(from)}.");
            var count = parse.GetValue(iterations);
            var threads = arguments.ApplyThreads(parse);
            var learnerOptions = arguments.ReadLearner(parse);

            using var data = await arguments.LoadAsync(context, parse, cancellationToken).ConfigureAwait(false);
            NetworkArguments.CheckSize(data.Loaders.Channels, data.Loaders.Classes.Count, learnerOptions.Model);
            TrainingArguments.CheckMemory(context, data, learnerOptions.Model);
            using var learner = TrainingArguments.Quiet(Learner.Create(data.Loaders, learnerOptions));
            var folder = RunFolder.Create(parse.GetValue(arguments.Out), data.Name, DateTime.Now);
            try
            {
                foreach (var file in (string[])["lr-find.csv", "lr-find.png", "lr-find.svg"])
                    OutputFiles.Check("--out", folder.File(file), [data.TrainPath, data.TestPath]);
                CliContext.WriteLine(context.Output, data.Describe());
                foreach (var choice in SettingNames.Chosen(data.Loaders))
                    CliContext.WriteLine(context.Output, choice);
                CliContext.WriteLine(context.Output,
                    $"InceptionTime ({parse.GetRequiredValue(arguments.Network.Variant)}), {Words.Number(learner.Model.ParameterCount)} parameters; " +
                    $"{count} batches of {data.Loaders.Train.BatchSize} with the learning rate from {Words.Value(from)} to {Words.Value(to)}, " +
                    $"{parse.GetRequiredValue(arguments.Optimizer)}, {parse.GetRequiredValue(arguments.Loss)}, {TrainingArguments.DescribePrecision(learner)}, seed {learnerOptions.Seed}, {TrainingArguments.DescribeThreads(threads)}");

                var result = new TrainingDisplay(context, null).Run("learning rate sweep", progress =>
                    learner.FindLearningRate(from, to, count, stopOnDivergence: true, progress, cancellationToken));
                if (cancellationToken.IsCancellationRequested)
                {
                    var removed = folder.RemoveIfEmpty();
                    context.WriteError($"cancelled after {Words.Plural(result.LearningRates.Count, "batch", "batches")} of {count}: nothing written{(removed ? "" : $" to {folder.Path}")}.");
                    return ExitCodes.Cancelled;
                }

                var stopped = result.LearningRates.Count < count
                    ? $"; stopped after {result.LearningRates.Count} batches, when the loss passed 4 times its minimum"
                    : "";
                CliContext.WriteLine(context.Output, $"swept {Words.Value(result.LearningRates[0])} to {Words.Value(result.LearningRates[^1])}{stopped}");
                // A sweep whose loss never falls below its first value has no descent to suggest a rate from.
                var fell = result.Losses.Skip(1).Any(loss => loss < result.Losses[0]);
                if (fell)
                {
                    TableWriter.Write(context, ["suggestion", "learning rate", "how"],
                    [
                        ["valley", Rate(result.Valley), "halfway down the longest descent of the loss (fastai's default)"],
                        ["minimum/10", Rate(result.MinimumOverTen), "a tenth of the rate with the lowest loss"],
                        ["steepest", Rate(result.Steepest), "where the loss falls fastest"],
                    ], 1);
                }

                var csv = new StringBuilder("learning_rate,loss\n");
                for (var i = 0; i < result.LearningRates.Count; i++)
                    csv.Append(Csv.Number(result.LearningRates[i])).Append(',').Append(Csv.Number(result.Losses[i])).Append('\n');
                AtomicFile.WriteAllText(folder.File("lr-find.csv"), csv.ToString());
                using (var figure = Pictures.PlotLearningRateFinder(result))
                {
                    figure.SavePngAndSvg(folder.Path, "lr-find");
                }
                CliContext.WriteLine(context.Output, fell
                    ? $"suggested: --lr {Rate(result.Valley)}"
                    : $"no suggestion: the loss never fell below its first value ({Words.Value(result.Losses[0])}) over {Words.Plural(result.Losses.Count, "batch", "batches")}; sweep lower rates (--start {Rate(from / 100)}).");
                var written = "lr-find.png/svg, lr-find.csv";
                context.WriteDone($"wrote {folder.Path}: {written}");
                return ExitCodes.Success;
            }
            catch
            {
                folder.RemoveIfEmpty(); // a failed run leaves no empty folder behind
                throw;
            }
        });
        return command;
    }

    /// <summary>A rate with two significant digits, as fastai prints suggestions: 1.2e-03.</summary>
    private static string Rate(double rate) => rate.ToString("0.0e+00", System.Globalization.CultureInfo.InvariantCulture);
}
