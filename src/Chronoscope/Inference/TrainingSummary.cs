namespace Chronoscope.Inference;

/// <summary>How a saved model was trained, kept in its file for reports and for the curious.</summary>
public sealed record TrainingSummary
{
    /// <summary>Epochs trained, up to the last validated one (whose losses and metrics these are).</summary>
    public int Epochs { get; init; }

    /// <summary>The peak learning rate of the one-cycle schedule (or the constant rate).</summary>
    public double MaxLearningRate { get; init; }

    /// <summary>Series per training batch.</summary>
    public int BatchSize { get; init; }

    /// <summary>The seed of the run.</summary>
    public int Seed { get; init; }

    /// <summary>How training and validation data were split, e.g. "official TRAIN/TEST" or "pooled, 20% random validation (seed 42)".</summary>
    public string Split { get; init; } = "";

    /// <summary>Training and validation series counts.</summary>
    public int TrainCount { get; init; }

    public int ValidCount { get; init; }

    /// <summary>The last epoch's smoothed training loss and validation loss.</summary>
    public double TrainLoss { get; init; }

    public double ValidLoss { get; init; }

    /// <summary>The last epoch's validation metrics by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
