namespace Chronoscope.Training;

/// <summary>A quantity of the epoch table watched for improvement: losses and error rates should fall, other metrics rise.</summary>
public sealed class MetricMonitor
{
    public MetricMonitor(string name = "valid_loss", double minimumDelta = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        MinimumDelta = Math.Abs(minimumDelta);
        LowerIsBetter = name.Contains("loss", StringComparison.Ordinal) || name.Contains("error", StringComparison.Ordinal);
    }

    /// <summary><c>valid_loss</c>, <c>train_loss</c> or a metric's name.</summary>
    public string Name { get; }

    /// <summary>How much better a value must be to count as an improvement.</summary>
    public double MinimumDelta { get; }

    /// <summary>True for losses and error rates.</summary>
    public bool LowerIsBetter { get; }

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> (or there is no best yet).</summary>
    public bool Improves(double value, double? best) =>
        best is not { } b || (LowerIsBetter ? value < b - MinimumDelta : value > b + MinimumDelta);
}
