namespace Chronoscope.Training;

/// <summary>
/// A hyper-parameter as a function of training progress: <c>pos</c> runs from 0 at the first training batch of a fit
/// to 1 at its end (<c>iteration / total iterations</c>, evaluated before each batch, as fastai does).
/// </summary>
public sealed class Schedule
{
    private readonly Func<double, double> _function;

    public Schedule(string description, Func<double, double> function)
        : this(description, function, peak: null)
    {
    }

    private Schedule(string description, Func<double, double> function, double? peak)
    {
        Description = description;
        _function = function;
        Peak = peak;
    }

    /// <summary>The largest value the schedule takes, where it is known by construction (the built-in shapes); else null.</summary>
    internal double? Peak { get; }

    /// <summary>What the schedule does, e.g. "cos 4e-05 → 0.001".</summary>
    public string Description { get; }

    /// <summary>The value at progress <paramref name="position"/> (0..1).</summary>
    public double At(double position) => _function(Math.Clamp(position, 0, 1));

    public override string ToString() => Description;

    /// <summary>The same value throughout.</summary>
    public static Schedule Constant(double value) => new($"{value:G4}", _ => value, value);

    /// <summary>A straight line from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static Schedule Linear(double start, double end) => new($"lin {start:G4} → {end:G4}", p => start + p * (end - start), Math.Max(start, end));

    /// <summary>Half a cosine from <paramref name="start"/> to <paramref name="end"/>: flat at both ends, steepest in the middle.</summary>
    public static Schedule Cosine(double start, double end) =>
        new($"cos {start:G4} → {end:G4}", p => start + (1 + Math.Cos(Math.PI * (1 - p))) * (end - start) / 2, Math.Max(start, end));

    /// <summary>Geometric from <paramref name="start"/> to <paramref name="end"/> (the learning-rate finder's sweep).</summary>
    public static Schedule Exponential(double start, double end) =>
        new($"exp {start:G4} → {end:G4}", p => start * Math.Pow(end / start, p), Math.Max(start, end));

    /// <summary>
    /// Phases one after another: phase i runs over the share <c>fractions[i]</c> of training with its own 0..1 progress.
    /// </summary>
    public static Schedule Combine(IReadOnlyList<double> fractions, IReadOnlyList<Schedule> phases)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        ArgumentNullException.ThrowIfNull(phases);
        if (fractions.Count != phases.Count || fractions.Count == 0)
            throw new ArgumentException($"expected one fraction per phase, found {fractions.Count} fractions and {phases.Count} phases");
        if (fractions.Any(f => f < 0) || Math.Abs(fractions.Sum() - 1) > 1e-9)
            throw new ArgumentException($"fractions must be non-negative and sum to 1, found {string.Join(", ", fractions)}");
        var starts = new double[fractions.Count + 1];
        for (var i = 0; i < fractions.Count; i++)
            starts[i + 1] = starts[i] + fractions[i];
        var peaks = phases.Select(p => p.Peak).ToList();
        return new Schedule(string.Join(", then ", phases.Select(p => p.Description)), p =>
        {
            var i = 0;
            while (i < fractions.Count - 1 && (p >= starts[i + 1] || fractions[i] == 0))
                i++;
            return fractions[i] == 0 ? phases[i].At(1) : phases[i].At((p - starts[i]) / fractions[i]);
        }, peaks.Contains(null) ? null : peaks.Max());
    }

    /// <summary>
    /// fastai's one-cycle learning rate: cosine from <c>max/divisor</c> up to <c>max</c> over the first
    /// <paramref name="warmupFraction"/>, then cosine down to <c>max/finalDivisor</c>.
    /// </summary>
    public static Schedule OneCycleLearningRate(double max, double warmupFraction = 0.25, double divisor = 25, double finalDivisor = 1e5) =>
        Combine([warmupFraction, 1 - warmupFraction], [Cosine(max / divisor, max), Cosine(max, max / finalDivisor)]);

    /// <summary>fastai's one-cycle momentum (Adam's beta1): cosine from <c>high</c> down to <c>low</c> and back.</summary>
    public static Schedule OneCycleMomentum(double high = 0.95, double low = 0.85, double warmupFraction = 0.25) =>
        Combine([warmupFraction, 1 - warmupFraction], [Cosine(high, low), Cosine(low, high)]);
}
