using Chronoscope.Inference;
namespace Chronoscope.Training;

/// <summary>A validation metric computed from the epoch's confusion matrix; its name heads a column of the epoch table.</summary>
public sealed class Metric
{
    private readonly Func<ConfusionMatrix, double> _compute;

    public Metric(string name, Func<ConfusionMatrix, double> compute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(compute);
        Name = name;
        _compute = compute;
    }

    /// <summary>The column name, e.g. <c>accuracy</c>.</summary>
    public string Name { get; }

    public double Compute(ConfusionMatrix confusion) => _compute(confusion);

    public static Metric Accuracy { get; } = new("accuracy", c => c.Accuracy);

    public static Metric ErrorRate { get; } = new("error_rate", c => c.ErrorRate);

    public static Metric BalancedAccuracy { get; } = new("balanced_accuracy", c => c.BalancedAccuracy);

    public static Metric MacroF1 { get; } = new("f1_macro", c => c.MacroF1);

    /// <summary>The built-in metrics by name (for the command line).</summary>
    public static IReadOnlyList<Metric> BuiltIn { get; } = [Accuracy, ErrorRate, BalancedAccuracy, MacroF1];

    public override string ToString() => Name;
}
