using System.CommandLine;
using System.Diagnostics;
using Chronoscope.Cli.Output;
using Chronoscope.Training;
using Chronoscope.Tutorial;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope tutorial</c>: fastai's GunPoint CAM tutorial end to end on the embedded data (no network), the
/// code of samples/Tutorial: the epoch table as it trains, then every picture of the notebook in the output folder.
/// </summary>
internal static class TutorialCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new TutorialOptions();
        var output = new Option<string>("--out")
        {
            Description = "Where the model and the pictures go (a second run overwrites them).",
            HelpName = "folder",
            DefaultValueFactory = _ => defaults.OutputFolder,
        };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of one-cycle training.", DefaultValueFactory = _ => defaults.Epochs }.AtLeast(1, OptionRanges.MaxEpochs);
        var command = new Command("tutorial",
            "Run fastai's GunPoint CAM tutorial on the embedded data: train InceptionTime 25 epochs with one-cycle at 1e-3, then draw the batch, the results and every CAM and Grad-CAM picture of the notebook.")
        {
            output, epochs,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            var options = defaults with { OutputFolder = parse.GetRequiredValue(output), Epochs = parse.GetValue(epochs), CacheFolder = context.DatasetOptions.CacheFolder };
            if (File.Exists(options.OutputFolder))
                throw new OutputFileException(options.OutputFolder, "expected a folder to write the tutorial's pictures into (--out), found a file.");
            CliContext.WriteLine(context.Output,
                $"GunPoint (embedded), TRAIN and TEST pooled, 20% random validation (seed 42); InceptionTime, one-cycle, {Words.Plural(options.Epochs, "epoch", "epochs")} at max lr {Words.Value(options.MaxLearningRate)}, batch size 64");
            var watch = Stopwatch.StartNew();
            TutorialResult result;
            try
            {
                result = new TrainingDisplay(context, new EpochTable([Metric.Accuracy.Name]))
                    .Run("epoch", progress => GunPointTutorial.Run(options, progress, cancellationToken));
            }
            catch (OperationCanceledException)
            {
                context.WriteError("cancelled: the files written so far are complete (each is written whole, then renamed into place).");
                return Task.FromResult(ExitCodes.Cancelled);
            }
            CliContext.WriteLine(context.Output, $"validation accuracy {EpochTable.Number(result.Accuracy)}; {Words.Plural(result.Files.Count, "file", "files")} in {Words.Seconds(watch.Elapsed)}:");
            foreach (var file in result.Files)
                context.WriteDone($"  {Path.GetRelativePath(Environment.CurrentDirectory, file)}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
