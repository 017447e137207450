namespace Chronoscope.Data;

/// <summary>How <see cref="DataLoaders"/> splits, batches and scales a dataset.</summary>
public sealed record DataLoadersOptions
{
    /// <summary>
    /// Series per training batch. Defaults to 64, as the reference tutorial. Null chooses it from the training set
    /// (<see cref="Training.TrainingBudget.BatchSize"/>): a quarter of the series, 8 to 64, so a small training set still
    /// gives several optimizer steps per epoch, and smaller where long series would otherwise get few steps; a learner makes
    /// it smaller still, down to one series, where a training step would need more memory than is available (<see cref="Training.Learner"/>).
    /// </summary>
    public int? BatchSize { get; init; } = 64;

    /// <summary>
    /// Series per validation batch; null (the default) uses the training batch size, as fastai's <c>val_bs</c> (64
    /// when the training batch size is chosen automatically: validation needs no small batches).
    /// </summary>
    public int? ValidBatchSize { get; init; }

    /// <summary>
    /// The share of a pooled dataset held out for validation by <see cref="DataLoaders.FromFiles"/>. Defaults to 0.2,
    /// as fastai's <c>RandomSplitter</c> (the Python package ignored its own <c>valid_pct</c>; this one is honoured).
    /// </summary>
    public double ValidPercent { get; init; } = 0.2;

    /// <summary>Seeds the random validation split. Defaults to 42, as fastai's <c>RandomSplitter(seed=42)</c>.</summary>
    public int SplitSeed { get; init; } = 42;

    /// <summary>Seeds the shuffle of the training batches (a different order every epoch, the same for the same seed). Defaults to 42.</summary>
    public int ShuffleSeed { get; init; } = 42;

    /// <summary>
    /// Drops the last incomplete training batch, as fastai does, unless it is the only one (a training set smaller than
    /// a batch would otherwise train nothing). Defaults to true. Validation always keeps every series.
    /// </summary>
    public bool DropLast { get; init; } = true;

    /// <summary>
    /// Scaling of the series. Defaults to <see cref="Normalization.None"/>, as the reference tutorial. Null chooses it
    /// from the training series (<see cref="DataLoaders.NormalizationReason"/> says why):
    /// <see cref="Normalization.PerSample"/> where their standard deviations span three orders of magnitude or more
    /// (95th over 5th percentile), where with one scale for all the quiet series reach the network as flat lines; else
    /// <see cref="Normalization.MeanSeries"/> where the series are near copies of one curve (at the median time step
    /// they spread under 0.03 of their deviation around their mean series); else <see cref="Normalization.None"/>.
    /// Measured: the archive's PLAID (spread 7e5) 0.51 as read, 0.86 per sample; OliveOil (series spread 0.0056 around
    /// their mean) 0.40 as read, 0.81 less the mean series; Wine (0.014) 0.48 either way; the other sets measured
    /// (z-normalized ones at 1; BasicMotions 88, Chinatown 1.7, JapaneseVowels 6, whose amplitudes tell classes apart
    /// and lose 0.05-0.17 per sample; Coffee's spectra at 0.076 around their mean, 1.00 as read and 0.94 less it) keep
    /// their values as read.
    /// </summary>
    public Normalization? Normalization { get; init; } = Data.Normalization.None;

    /// <summary>Handling of missing values. Defaults to <see cref="MissingValues.Interpolate"/>.</summary>
    public MissingValues MissingValues { get; init; } = MissingValues.Interpolate;

    /// <summary>
    /// How series of different lengths (within a file, or training against validation) reach one length: padded after
    /// their end (the default) or resampled to the longest. A model trained on resampled series resamples its inputs.
    /// Null chooses from the training series (<see cref="DataLoaders.VariableLengthsReason"/> says why):
    /// <see cref="VariableLengths.Resample"/> where they vary in length and at most half have the longest length;
    /// else <see cref="VariableLengths.Pad"/>: a model trained on equal-length series runs inputs of another length at
    /// their own length, and a few series cut short (e.g. missing values at the end of a delimited file's rows, read as
    /// the end of the series) stay aligned in time. Measured on the archive's variable-length sets, resampled against
    /// padded: PLAID 0.879 against 0.859 (per sample),
    /// JapaneseVowels 0.988 against 0.980, PickupGestureWiimoteZ 0.787 either way (3 seeds each).
    /// </summary>
    public VariableLengths? VariableLengths { get; init; } = Data.VariableLengths.Pad;
}
