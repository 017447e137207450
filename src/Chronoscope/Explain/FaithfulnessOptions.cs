using Chronoscope.Data;

namespace Chronoscope.Explain;

/// <summary>How faithfulness curves are drawn.</summary>
public sealed record FaithfulnessOptions
{
    /// <summary>The replacement. Defaults to <see cref="Perturbation.Zero"/>, as Baer et al.'s published table.</summary>
    public Perturbation Perturbation { get; init; } = Perturbation.Zero;

    /// <summary>Steps on each curve, n. Defaults to 25: 2%, 4%, … 50% of the cells, as the protocol.</summary>
    public int Steps { get; init; } = 25;

    /// <summary>The share of cells added per step. Defaults to 0.02 (2%).</summary>
    public double StepFraction { get; init; } = 0.02;

    /// <summary>Items per batch. Defaults to 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Series per forward pass at most (each item has 3n perturbed copies). Defaults to 512.</summary>
    public int PassSize { get; init; } = 512;

    /// <summary>Seeds the noise perturbations. Defaults to 0.</summary>
    public int Seed { get; init; }

    /// <summary>The training data, for <see cref="Perturbation.TrainingMean"/>. Defaults to null.</summary>
    public TimeSeriesDataset? Reference { get; init; }
}
