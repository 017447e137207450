namespace Chronoscope.Reports;

/// <summary>
/// What only the caller of a fit knows about a run, for <see cref="RunRecord.Create"/>: where the data came from,
/// how the run was started, what was asked for, and how long the parts around the fit took. Every property has a
/// default that suits a run from code.
/// </summary>
public sealed record RunDescription
{
    /// <summary>The command line that started the run. Defaults to empty (a run from code).</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>The dataset's name. Defaults to null: the name of the learner's data.</summary>
    public string? DatasetName { get; init; }

    /// <summary>Where the data came from, in words. Defaults to <c>files</c>.</summary>
    public string Origin { get; init; } = "files";

    /// <summary>
    /// The training file (full path), or the first of the pooled files. Defaults to null: data that did not come from
    /// a file; a report of the run then needs its data given again.
    /// </summary>
    public string? TrainFile { get; init; }

    /// <summary>The test file (full path): the validation data of an official split, or pooled with the training file. Defaults to null.</summary>
    public string? TestFile { get; init; }

    /// <summary>The epochs asked for. Defaults to null: the epochs the fit trained.</summary>
    public int? RequestedEpochs { get; init; }

    /// <summary>The peak learning rate asked for. Defaults to null: the peak of the learner's last schedule.</summary>
    public double? MaxLearningRate { get; init; }

    /// <summary>The schedule, in words. Defaults to <c>one-cycle (fastai's fit_one_cycle defaults)</c>.</summary>
    public string Schedule { get; init; } = "one-cycle (fastai's fit_one_cycle defaults)";

    /// <summary>The early stopping the fit used. Defaults to null: none.</summary>
    public RunRecord.EarlyStoppingPart? EarlyStopping { get; init; }

    /// <summary>The threads libtorch computed with. Defaults to null: <see cref="TorchRuntime.Threads"/> now.</summary>
    public int? Threads { get; init; }

    /// <summary>The model file's name, relative to the record's folder. Defaults to <c>model.chronoscope</c>, as <c>chronoscope train</c> names it.</summary>
    public string ModelFile { get; init; } = "model.chronoscope";

    /// <summary>Time spent reading the data before the fit. Defaults to zero.</summary>
    public TimeSpan LoadTime { get; init; }

    /// <summary>Time spent saving the model and pictures after the fit. Defaults to zero.</summary>
    public TimeSpan SaveTime { get; init; }

    /// <summary>The whole run's time. Defaults to null: load + fit + save.</summary>
    public TimeSpan? TotalTime { get; init; }

    /// <summary>When the record is made (UTC). Defaults to null: now.</summary>
    public DateTime? CreatedUtc { get; init; }
}
