using System.CommandLine;
using System.Globalization;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Reports;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope report</c>: the HTML page of a training run (see <see cref="RunReportPage"/>), from its folder's
/// metrics.json and model.chronoscope, explaining the run's own validation series (re-created from the recorded files
/// and split) or files given with <c>--data</c>; the counterfactuals borrow from the run's own training series (the
/// recorded training file, or the training part of the recorded pooled split). <c>train</c> writes the same page at the
/// end of a run.
/// </summary>
internal static class ReportCommand
{
    public const string ReportFile = "report.html";

    public static Command Create(CliContext context)
    {
        var folder = new Argument<string>("run-folder") { Description = "The folder 'chronoscope train' wrote (it holds metrics.json and model.chronoscope)." };
        var data = new Option<string[]>("--data", "-d")
        {
            Description = "Files to explain instead of the run's own validation series (several are pooled in order).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "file",
        };
        var output = new Option<string?>("--out", "-o") { Description = $"The page to write [default: <run-folder>/{ReportFile}].", HelpName = "file" };
        var classNames = new Option<string?>("--class-names") { Description = "Readable class names by label (1=Gun,2=Point) or in class order (Gun,Point).", HelpName = "names" };
        var method = CamCommand.MethodOption($"The map method: {string.Join(", ", CamCommand.Methods.Keys)}.");
        var gallery = new Option<int>("--gallery") { Description = "Correctly classified series shown per class.", DefaultValueFactory = _ => new RunReportOptions().GalleryPerClass, HelpName = "n" }.AtLeast(0, 10_000);
        var faithfulness = new Option<int>("--faithfulness-series") { Description = "Validation series the faithfulness of the maps is measured on (0: none).", DefaultValueFactory = _ => new RunReportOptions().FaithfulnessSeries, HelpName = "n" }.AtLeast(0, 100_000);
        var counterfactuals = new Option<int>("--counterfactuals") { Description = "Misclassified series that get a counterfactual toward their true class (0: none).", DefaultValueFactory = _ => new RunReportOptions().MaxCounterfactuals, HelpName = "n" }.AtLeast(0, 10_000);
        var nonFinite = NonFiniteValues.Option();
        var command = new Command("report", $"Write the HTML report of a training run ({ReportFile}): data, settings, epochs, curves, confusion matrix, each class's mean map, how faithful the maps are, misclassified series with their counterfactuals, and a gallery.")
        {
            folder, data, output, classNames, method, gallery, faithfulness, counterfactuals, nonFinite,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            // Everything runs on the calling thread: TorchSharp's dispose scopes are per thread.
            var run = Path.GetFullPath(parse.GetRequiredValue(folder));
            var options = new RunReportOptions
            {
                Method = parse.GetRequiredValue(method).Value,
                ClassNames = CamCommand.ParseClassNames(parse.GetValue(classNames)),
                GalleryPerClass = parse.GetValue(gallery),
                FaithfulnessSeries = parse.GetValue(faithfulness),
                MaxCounterfactuals = parse.GetValue(counterfactuals),
            };
            var path = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(run, ReportFile));
            return Task.FromResult(Run(context, run, parse.GetValue(data), NonFiniteValues.Read(parse, nonFinite), path, options, cancellationToken));
        });
        return command;
    }

    private static int Run(CliContext context, string folder, IReadOnlyList<string>? dataPaths, ReadOptions read, string path, RunReportOptions options, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
            throw new InputFileException($"{folder}: no such run folder; give the folder 'chronoscope train' wrote (--out, or ./{RunFolder.DefaultParent}/<dataset>-<time>).");
        var record = RunRecord.Load(Path.Combine(folder, TrainCommand.MetricsFile));
        var modelPath = Path.Combine(folder, record.Model.File);
        if (!File.Exists(modelPath))
            throw new InputFileException($"{modelPath}: no such file; the run folder has {TrainCommand.MetricsFile} but not the model it describes (copy it back, or train again).");
        // The run's own files (the report it wrote aside) are its record: never written over by a report.
        var runFiles = TrainCommand.RunFiles.Where(f => f != ReportFile).Select(f => Path.Combine(folder, f));
        OutputFiles.Check("--out", path, [.. runFiles, modelPath, record.Dataset.TrainFile, record.Dataset.TestFile, .. dataPaths ?? []]);
        using var classifier = TimeSeriesClassifier.Load(modelPath);
        CamCommand.ResolveClassNames(options.ClassNames, classifier.Classes); // a name for a class the model lacks is a usage error, before any work

        var (data, training, source) = dataPaths is { Count: > 0 } ? ReadGiven(context, classifier, dataPaths, read) : ReadRecorded(record, folder);
        CliContext.WriteLine(context.Output, $"run {folder}: {record.Dataset.Name}, {record.Final.EpochsTrained} epochs; explaining {source}");
        List<string> notes = [$"The validation series explained here: {source}."];
        if (training is null && options.MaxCounterfactuals > 0)
        {
            // The neighbours come from the run's own training series when its files are still there; no counterfactuals otherwise.
            (training, var why) = ReadTraining(record, folder);
            if (training is null)
            {
                CliContext.WriteLine(context.Output, $"note: no counterfactuals: {why}");
                notes.Add($"No counterfactuals: {why}");
            }
        }
        var changed = new[] { (record.Dataset.TrainFile, record.Dataset.TrainSha256), (record.Dataset.TestFile, record.Dataset.TestSha256) }
            .Where(f => f.Item1 is not null && f.Item2 is not null && RunRecord.DatasetPart.Sha256Of(f.Item1) is { } now && now != f.Item2)
            .Select(f => f.Item1!)
            .ToList();
        if (dataPaths is not { Count: > 0 } && changed.Count > 0)
        {
            var message = $"{string.Join(" and ", changed)} changed since training (SHA-256 differs from the run's record): the series explained are the files as they are now.";
            CliContext.WriteLine(context.Output, $"note: {message}");
            notes.Add(char.ToUpperInvariant(message[0]) + message[1..]);
        }
        else if (dataPaths is not { Count: > 0 } && data.Count != record.Dataset.ValidCount)
        {
            var mismatch = string.Create(CultureInfo.InvariantCulture, $"the run validated on {record.Dataset.ValidCount} series, these files give {data.Count}: the files changed since training.");
            CliContext.WriteLine(context.Output, $"note: {mismatch}");
            notes.Add(char.ToUpperInvariant(mismatch[0]) + mismatch[1..]);
        }
        using var validation = classifier.CreateLoader(data, options.BatchSize);
        Write(context, record, classifier, validation, options with { Notes = notes, Training = training }, path, linesWhenRedirected: true, cancellationToken);
        CliContext.WriteLine(context.Output, $"wrote {path}");
        return ExitCodes.Success;
    }

    /// <summary>Builds and saves the page, with a progress bar on terminals while the validation set is explained.</summary>
    internal static void Write(
        CliContext context, RunRecord record, TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions options,
        string path, bool linesWhenRedirected, CancellationToken cancellationToken)
    {
        ModelWarnings.Memory(context, RunReportFindings.ExplanationMemory(classifier, validation, options));
        ItemProgress.RunReporting(context, "explaining", validation.Count,
            progress => RunReportPage.Save(path, record, classifier, validation, options, progress, cancellationToken),
            linesWhenRedirected);
    }

    /// <summary>The files given with --data, pooled in order (the training series are read apart).</summary>
    private static (TimeSeriesDataset Data, TimeSeriesDataset? Training, string Source) ReadGiven(CliContext context, TimeSeriesClassifier classifier, IReadOnlyList<string> paths, ReadOptions read)
    {
        var (data, _) = ModelData.ReadPooled(context, classifier, paths, read);
        return (data, null, $"{string.Join(" + ", paths.Select(Path.GetFileName))} ({Words.Plural(data.Count, "series", "series")}, given with --data)");
    }

    /// <summary>
    /// The run's training series, which counterfactuals borrow from: its training file (official split) or the training
    /// part of its pooled split; null, and why, when the record names no file or a file is gone.
    /// </summary>
    private static (TimeSeriesDataset? Training, string? Why) ReadTraining(RunRecord record, string folder)
    {
        var dataset = record.Dataset;
        if (dataset.TrainFile is not { } train)
            return (null, "the run records no training file (its data came from code).");
        var pooled = record.Settings.Split == "pooled";
        string?[] files = [train, pooled ? dataset.TestFile : null];
        if (files.OfType<string>().FirstOrDefault(f => !File.Exists(f)) is { } missing)
            return (null, $"{missing}, the run's training data, is no longer there.");
        return (pooled ? ReadRecorded(record, folder).Training : DatasetReader.Read(train), null);
    }

    /// <summary>
    /// The run's own validation series: the test file of an official split; for a pooled split the same random share
    /// of the same files, drawn with the recorded percentage and seed (the loaders' own split, so the same series), and
    /// then the rest, the training series, too.
    /// </summary>
    private static (TimeSeriesDataset Data, TimeSeriesDataset? Training, string Source) ReadRecorded(RunRecord record, string folder)
    {
        var metrics = Path.Combine(folder, TrainCommand.MetricsFile);
        var dataset = record.Dataset;
        var settings = record.Settings;
        if (settings.Split == "official")
        {
            var test = Existing(metrics, dataset.TestFile, "test file");
            var data = DatasetReader.Read(test);
            return (data, null, $"{Path.GetFileName(test)} ({Words.Plural(data.Count, "series", "series")}, the run's validation set)");
        }
        if (settings.Split != "pooled")
            throw new RunRecordException(metrics, null, $"settings.split is \"{settings.Split}\", expected official or pooled; give the data to explain with --data FILE.");
        List<string> files = [Existing(metrics, dataset.TrainFile, "training file")];
        if (dataset.TestFile is not null)
            files.Add(Existing(metrics, dataset.TestFile, "test file"));
        var percent = settings.ValidPercent ?? new DataLoadersOptions().ValidPercent;
        var seed = settings.SplitSeed ?? new DataLoadersOptions().SplitSeed;
        using var loaders = DataLoaders.FromFiles(files, new DataLoadersOptions { ValidPercent = percent, SplitSeed = seed, BatchSize = settings.BatchSize });
        var valid = loaders.Valid.Dataset;
        var share = (percent * 100).ToString("0.#", CultureInfo.InvariantCulture);
        return (valid, loaders.Train.Dataset, $"{Words.Plural(valid.Count, "series", "series")} drawn from {string.Join(" + ", files.Select(Path.GetFileName))} ({share}% with seed {seed}, the run's validation set)");
    }

    private static string Existing(string metrics, string? file, string what)
    {
        if (file is null)
            throw new RunRecordException(metrics, null, $"the run records no {what} (its data came from code); give the data to explain with --data FILE.");
        if (!File.Exists(file))
            throw new InputFileException($"{file}: no such file; {metrics} names it as the run's {what}. Give the validation data with --data FILE.");
        return file;
    }
}
