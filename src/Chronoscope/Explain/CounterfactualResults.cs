namespace Chronoscope.Explain;

/// <summary>The counterfactuals of some queries, in the order asked for, with what they were sought under. Plain arrays: no tensors.</summary>
public sealed record CounterfactualResults
{
    /// <summary>The model's class names.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>C, channels per series.</summary>
    public required int Channels { get; init; }

    /// <summary>L, steps per series.</summary>
    public required int Length { get; init; }

    /// <summary>The distance the neighbours were chosen by.</summary>
    public required SeriesDistance Distance { get; init; }

    /// <summary>The Sakoe–Chiba band of every DTW computed, in steps.</summary>
    public required int Band { get; init; }

    /// <summary>The probability of the target a counterfactual reached at least.</summary>
    public required double Threshold { get; init; }

    /// <summary>The title of the map that placed the windows, e.g. <c>GRAD-CAM - mean</c>.</summary>
    public required string MapTitle { get; init; }

    /// <summary>One per query.</summary>
    public required IReadOnlyList<Counterfactual> Items { get; init; }

    /// <summary>How many were found.</summary>
    public int FoundCount => Items.Count(c => c.Found);
}
