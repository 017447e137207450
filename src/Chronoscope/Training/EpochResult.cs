using Chronoscope.Inference;
namespace Chronoscope.Training;

/// <summary>One row of the epoch table: the smoothed training loss, the validation loss and metrics, and the time taken.</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double ValidLoss,
    IReadOnlyList<KeyValuePair<string, double>> Metrics,
    TimeSpan Duration,
    ConfusionMatrix Confusion)
{
    /// <summary>The value of metric <paramref name="name"/>, or of <c>train_loss</c> / <c>valid_loss</c>.</summary>
    public double this[string name] => name switch
    {
        "train_loss" => TrainLoss,
        "valid_loss" => ValidLoss,
        _ => Metrics.FirstOrDefault(m => m.Key == name) is { Key: not null } metric
            ? metric.Value
            : throw new KeyNotFoundException($"no metric \"{name}\"; expected train_loss, valid_loss or one of: {string.Join(", ", Metrics.Select(m => m.Key))}"),
    };
}
