using System.CommandLine;
using System.Globalization;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Archive;
using Chronoscope.Reports;
using Chronoscope.Training;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// What <c>train</c> and <c>lr-find</c> share: the data (a catalogue name or <c>--train/--test</c> files, the split,
/// batches, normalization), the learner (seed, optimizer, loss, BatchNorm calibration, the network) and <c>--threads</c>, <c>--out</c>.
/// </summary>
internal sealed class TrainingArguments
{
    public TrainingArguments()
    {
        Dataset = new Argument<string?>("dataset")
        {
            Description = "A dataset's name, as 'chronoscope datasets list' shows it (cached, embedded or downloaded); or give --train and --test instead.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Train = new Option<string?>("--train") { Description = "The training file (.arff, .ts, .tsv, .txt or .csv), instead of a dataset name.", HelpName = "file" };
        Test = new Option<string?>("--test") { Description = "The test file, validated on with --split official, pooled with the training file with --split pooled.", HelpName = "file" };
        Split = Choice.Option("--split",
            "official: train on TRAIN, validate on TEST (the archive's protocol, that of published accuracies); pooled: pool the files and validate on a random --valid-pct of them (fastai's from_files, the reference tutorial).",
            new Choice<bool>("official", false), new Choice<bool>("pooled", true));
        ValidPercent = new Option<double>("--valid-pct") { Description = "With --split pooled: the share of series held out for validation.", DefaultValueFactory = _ => 0.2 }.Between(0, 1);
        SplitSeed = new Option<int>("--split-seed") { Description = "With --split pooled: seeds the random split (fastai's RandomSplitter(seed=42)).", DefaultValueFactory = _ => 42 }.Whole();
        BatchSize = new Option<int?>("--batch-size")
        {
            Description = "Series per training batch; auto (the default): a quarter of the training series, 8 to 64, so a small training set still takes several optimizer steps per epoch; smaller, down to 8, where long series would otherwise get fewer than 500 steps within a million series × time steps of work, and down to 1 where a batch would need more memory than is available.",
        }.AtLeastOrAuto(1, OptionRanges.MaxBatchSize);
        Normalize = Choice.OptionOrAuto<Normalization>("--normalize",
            "Scaling of the series: none (as read, the reference tutorial), per-sample (each series to mean 0, sd 1), per-channel (the training set's mean and sd per channel), min-max (the training set's range per channel, to 0..1), mean-series (the training set's mean series subtracted, the departures scaled to sd 1 per channel); auto: per-sample where the training series' standard deviations span three orders of magnitude or more (5th to 95th percentile, as 'datasets info' shows), else mean-series where the series are near copies of one curve (at the median step they spread under 0.03 of their deviation around their mean series: spectra such as the archive's OliveOil), else none.",
            SettingNames.Of);
        VariableLengths = Choice.OptionOrAuto<VariableLengths>("--variable-lengths",
            "How series of different lengths reach one length: pad (each as read, zeros after its end, as the archive's files) or resample (each linearly interpolated to the longest; the model then resamples every input to that length); auto: resample where the training series vary in length, else pad.",
            SettingNames.Of);
        Seed = new Option<int>("--seed") { Description = "Seeds the network's initial weights and the shuffle of the training batches.", DefaultValueFactory = _ => 42 }.Whole();
        Threads = new Option<int?>("--threads")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"Threads libtorch computes with [default: all cores, {Environment.ProcessorCount} here]."),
        }.AtLeast(1, OptionRanges.MaxThreads);
        Optimizer = Choice.Option("--optimizer",
            "adam (L2 weight decay, as torch.optim.Adam; measured best within the auto budget), ranger (Lookahead over RAdam, the reference tutorial's), radam or adamw (decoupled weight decay).",
            [.. Enum.GetValues<OptimizerKind>().Select(k => new Choice<OptimizerKind>(SettingNames.Of(k), k))], SettingNames.Of(new LearnerOptions().Optimizer));
        Loss = Choice.Option<LossKind>("--loss",
            "label-smoothing (cross-entropy against targets smoothed by 0.1, the reference's) or cross-entropy.",
            SettingNames.Of);
        BatchNormCalibration = Choice.Option<Training.BatchNormCalibration>("--bn-calibration",
            "When BatchNorm statistics are recomputed on the training set before validating: auto (when the training set is smaller than a batch, so each epoch is one step), always, or never (PyTorch's running averages, as the reference).",
            SettingNames.Of);
        Precision = Choice.Option("--precision",
            "The number type the convolutions train in: fp32; bf16 (mixed precision: convolutions in bfloat16, weights, BatchNorm and loss in float32; fast only where the CPU has AVX512-BF16 or AMX); auto: bf16 where the CPU computes it natively and the first batch's logits agree with fp32 within 5%, except on a CPU without AMX whose fp32 training convolves the branches by FFT in batches of 4,096 series × steps or more (faster there), else fp32. Validation, prediction and maps always compute in fp32.",
            [.. Enum.GetValues<TrainingPrecision>().Select(p => new Choice<TrainingPrecision>(SettingNames.Of(p), p))], SettingNames.Of(new LearnerOptions().Precision));
        NonFiniteAsMissing = NonFiniteValues.Option();
        Out = new Option<string?>("--out")
        {
            Description = $"The folder to write into [default: ./{RunFolder.DefaultParent}/<dataset>-<yyyyMMdd-HHmmss>].",
            HelpName = "folder",
        };
    }

    public Argument<string?> Dataset { get; }

    public Option<string?> Train { get; }

    public Option<string?> Test { get; }

    /// <summary>True for pooled.</summary>
    public Option<Choice<bool>> Split { get; }

    public Option<double> ValidPercent { get; }

    public Option<int> SplitSeed { get; }

    /// <summary>Null for auto.</summary>
    public Option<int?> BatchSize { get; }

    /// <summary>Null for auto.</summary>
    public Option<Choice<Normalization?>> Normalize { get; }

    /// <summary>Null for auto.</summary>
    public Option<Choice<VariableLengths?>> VariableLengths { get; }

    public Option<int> Seed { get; }

    public Option<int?> Threads { get; }

    public Option<Choice<OptimizerKind>> Optimizer { get; }

    public Option<Choice<LossKind>> Loss { get; }

    public Option<Choice<BatchNormCalibration>> BatchNormCalibration { get; }

    public Option<Choice<TrainingPrecision>> Precision { get; }

    public NetworkArguments Network { get; } = new();

    public Option<string?> Out { get; }

    public Option<bool> NonFiniteAsMissing { get; }

    /// <summary>Adds the data options, then <paramref name="middle"/> (the command's own), then the learner's and <c>--threads</c>, <c>--out</c>.</summary>
    public void AddTo(Command command, params Option[] middle)
    {
        command.Arguments.Add(Dataset);
        foreach (var option in (Option[])[Train, Test, NonFiniteAsMissing, Split, ValidPercent, SplitSeed, BatchSize, Normalize, VariableLengths, .. middle, Seed, Optimizer, Loss, BatchNormCalibration, Precision, .. Network.All, Threads, Out])
            command.Options.Add(option);
    }

    /// <summary>Sets libtorch's thread count from <c>--threads</c> (all cores by default) and returns it.</summary>
    public int ApplyThreads(ParseResult parse)
    {
        var threads = parse.GetValue(Threads) ?? Environment.ProcessorCount;
        TorchRuntime.Threads = threads;
        return threads;
    }

    /// <summary>"2 threads", and when they outnumber the processors, that the extra ones only wait (64 on 2 cores: 8 times slower).</summary>
    public static string DescribeThreads(int threads) =>
        Words.Plural(threads, "thread", "threads")
        + (threads > Environment.ProcessorCount ? $" (more than this machine's {Environment.ProcessorCount} processors: the extra threads only wait, and slow training)" : "");

    /// <summary>The learner's options; the metrics are the command's.</summary>
    public LearnerOptions ReadLearner(ParseResult parse, IReadOnlyList<Metric>? metrics = null) => new()
    {
        Model = Network.Read(parse),
        Optimizer = parse.GetRequiredValue(Optimizer).Value,
        Loss = parse.GetRequiredValue(Loss).Value,
        Seed = parse.GetValue(Seed),
        BatchNormCalibration = parse.GetRequiredValue(BatchNormCalibration).Value,
        Precision = parse.GetRequiredValue(Precision).Value,
        Metrics = metrics ?? [Metric.Accuracy],
    };

    /// <summary>The precision the learner trains in, for the header line: <c>bf16</c>, or with auto <c>fp32 (auto: why)</c>.</summary>
    public static string DescribePrecision(Learner learner) =>
        learner.Options.Precision == TrainingPrecision.Auto
            ? $"{SettingNames.Of(learner.Precision)} (auto: {learner.PrecisionReason})"
            : SettingNames.Of(learner.Precision);

    /// <summary>The loaders' options: batches, normalization, the pooled split, and the shuffle seeded by <c>--seed</c>.</summary>
    public DataLoadersOptions ReadLoaders(ParseResult parse) => new()
    {
        BatchSize = parse.GetValue(BatchSize),
        Normalization = parse.GetRequiredValue(Normalize).Value,
        VariableLengths = parse.GetRequiredValue(VariableLengths).Value,
        ValidPercent = parse.GetValue(ValidPercent),
        SplitSeed = parse.GetValue(SplitSeed),
        ShuffleSeed = parse.GetValue(Seed),
    };

    /// <summary>
    /// Before a learner is made: the automatic batch made smaller where it would not fit the memory available (a yellow
    /// note), training that cannot fit in all the machine's memory refused (the library's <see cref="Inference.MemoryLimitException"/>,
    /// which names the file, the length, the estimate, the memory and a batch that fits), a yellow warning where a step
    /// needs more than is available now. Learners made afterwards have nothing more to tell (<see cref="Quiet"/>).
    /// </summary>
    public static void CheckMemory(CliContext context, TrainingData data, Models.InceptionTimeOptions network)
    {
        var note = Learner.FitAutomaticBatchToMemory(data.Loaders, network);
        var warning = Inference.MemoryBudget.Require(Learner.TrainingMemory(data.Loaders, network)); // a refusal says it all
        if (note is not null)
            context.WriteNote(note);
        if (warning is not null)
            context.WriteWarning(warning);
    }

    /// <summary><paramref name="learner"/>, whose memory <see cref="CheckMemory"/> has told about: its fits say nothing more of it.</summary>
    public static Learner Quiet(Learner learner)
    {
        _ = learner.TakeMemoryNotes();
        return learner;
    }

    /// <summary>
    /// Finds the files (a catalogue name through the cache, the embedded copy or a download with progress; or
    /// <c>--train/--test</c>) and builds the loaders of the split asked for. A command line that names no data, or
    /// both a name and files, is a <see cref="UsageException"/>.
    /// </summary>
    public async Task<TrainingData> LoadAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var name = parse.GetValue(Dataset);
        var trainPath = parse.GetValue(Train);
        var testPath = parse.GetValue(Test);
        var pooled = parse.GetRequiredValue(Split).Value;
        string[] pooledOnly = [.. new Option[] { ValidPercent, SplitSeed }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name)];
        if (!pooled && pooledOnly.Length > 0)
            throw new UsageException($"{string.Join(", ", pooledOnly)}: only for --split pooled (--split official, the default, validates on the test file).");

        string origin;
        if (name is not null)
        {
            if (trainPath is not null || testPath is not null)
                throw new UsageException($"give either a dataset name ({name}) or --train/--test files, not both.");
            if (File.Exists(name) || DatasetFolder.IsDatasetExtension(Path.GetExtension(name)))
                throw new UsageException($"{name} looks like a file; give files as --train {name} --test <file>.");
            var files = await DownloadReporter.GetAsync(context, name, context.DatasetOptions, cancellationToken).ConfigureAwait(false);
            (name, trainPath, testPath) = (files.Name, files.TrainPath, files.TestPath);
            origin = files.Origin switch
            {
                DatasetOrigin.Embedded => "the library's embedded copy",
                DatasetOrigin.Downloaded => $"downloaded from {files.Url}",
                _ => $"the cache ({files.Folder})",
            };
        }
        else
        {
            if (trainPath is null)
                throw new UsageException("no data: give a dataset name (e.g. GunPoint) or --train FILE --test FILE.");
            if (testPath is null && !pooled)
                throw new UsageException("--split official validates on the test file: give --test FILE too, or --split pooled to split --train at random.");
            origin = "files";
        }

        var options = ReadLoaders(parse);
        var read = NonFiniteValues.Read(parse, NonFiniteAsMissing);
        var loaders = pooled
            ? DataLoaders.FromFiles(testPath is null ? [trainPath] : [trainPath, testPath], options, read)
            : DataLoaders.FromTrainTest(trainPath, testPath!, options, read);
        if (loaders.Valid.Count == 0)
        {
            loaders.Dispose();
            throw new UsageException(pooled
                ? $"--valid-pct {Words.Value(options.ValidPercent)} of {Words.Plural(loaders.Train.Count, "series", "series")} leaves no validation series: raise --valid-pct or give more data."
                : $"{testPath}: expected validation series, found none.");
        }
        if (NumericTargetWarning(loaders.Train.Dataset) is { } numeric)
            context.WriteError(numeric);
        if (loaders.ClassesWithoutTrainingSeries.Count > 0)
            context.WriteError($"warning: no training series of class {Words.Quoted(loaders.ClassesWithoutTrainingSeries)}: the model can never predict it.");
        return new TrainingData(loaders, name ?? loaders.Name, origin, Path.GetFullPath(trainPath), testPath is null ? null : Path.GetFullPath(testPath));
    }

    /// <summary>
    /// A warning where the labels look like a numeric target read as classes (a regression dataset in the UCR layout,
    /// its first column a measurement): every label a number, some with a fraction, and most classes a single
    /// training series. Such a "classifier" can only recall its training series; Chronoscope does not regress.
    /// </summary>
    internal static string? NumericTargetWarning(TimeSeriesDataset train)
    {
        var counts = train.ClassCounts();
        var single = counts.Count(n => n == 1);
        var numbers = train.Classes.Select(name => double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null).ToArray();
        if (single * 2 <= counts.Count || numbers.Any(n => n is null) || numbers.All(n => n == Math.Round(n!.Value)))
            return null;
        return $"warning: the {Words.Number(counts.Count)} class labels are numbers, some with fractions ({Words.Quoted(train.Classes, 3)}), and " +
            $"{Words.Number(single)} of them have a single training series: is the first column a numeric target? Chronoscope classifies; " +
            "it treats each distinct value as a class of its own and does not regress.";
    }
}
