namespace Chronoscope.Explain;

/// <summary>
/// One query's counterfactual: the query with a window of its nearest unlike neighbour copied in, the smallest such
/// window that makes the model predict the target class, and how far it moved the series. Values are in the data's own
/// units (as read, missing values filled as the model fills them), (C, L) row-major.
/// </summary>
public sealed record Counterfactual
{
    /// <summary>The query's index in the data it came from.</summary>
    public required int Item { get; init; }

    /// <summary>What the search found; only <see cref="CounterfactualOutcome.Found"/> has <see cref="Values"/>.</summary>
    public required CounterfactualOutcome Outcome { get; init; }

    /// <summary>True when <see cref="Outcome"/> is <see cref="CounterfactualOutcome.Found"/>.</summary>
    public bool Found => Outcome == CounterfactualOutcome.Found;

    /// <summary>The class the model predicts for the query.</summary>
    public required int Predicted { get; init; }

    /// <summary>The class the counterfactual aims at.</summary>
    public required int Target { get; init; }

    /// <summary>The model's class probabilities for the query, (K).</summary>
    public required float[] ProbabilitiesBefore { get; init; }

    /// <summary>
    /// The model's class probabilities for the counterfactual, (K); when not flipped, those for the whole neighbour
    /// (the largest window tried); null when there is no neighbour.
    /// </summary>
    public required float[]? ProbabilitiesAfter { get; init; }

    /// <summary>The nearest unlike neighbour's index in the training data, or -1 when there is none.</summary>
    public required int Neighbour { get; init; }

    /// <summary>The distance (<see cref="CounterfactualResults.Distance"/>) from the query to its neighbour; NaN without one.</summary>
    public required double NeighbourDistance { get; init; }

    /// <summary>The counterfactual series, (C, L) row-major; null unless found.</summary>
    public required float[]? Values { get; init; }

    /// <summary>The first step of the copied window (0 unless found).</summary>
    public required int WindowStart { get; init; }

    /// <summary>The steps copied (0 unless found); every channel of them.</summary>
    public required int WindowLength { get; init; }

    /// <summary>The share of the series' steps copied from the neighbour, 0..1 (0 unless found).</summary>
    public required double ChangedShare { get; init; }

    /// <summary>The sum of absolute differences from the query over every value; NaN unless found.</summary>
    public required double L1 { get; init; }

    /// <summary>The Euclidean distance from the query; NaN unless found.</summary>
    public required double L2 { get; init; }

    /// <summary>The DTW distance from the query within <see cref="CounterfactualResults.Band"/>; NaN unless found.</summary>
    public required double Dtw { get; init; }

    /// <summary>
    /// The distance (<see cref="CounterfactualResults.Distance"/>) to the neighbour: how much of the query is left, the
    /// other side of plausibility (0 would be the neighbour itself); NaN unless found.
    /// </summary>
    public required double DistanceToNeighbour { get; init; }
}
