namespace Chronoscope.Explain;

/// <summary>How two series of equal shape are compared when a counterfactual's nearest unlike neighbour is sought.</summary>
public enum SeriesDistance
{
    /// <summary>The square root of the sum of squared differences, step by step over every channel.</summary>
    Euclidean,

    /// <summary>
    /// Dynamic time warping within a Sakoe–Chiba band: the cheapest alignment of the two series' steps (each step of one
    /// matched to steps of the other no more than the band away), costed as the Euclidean distance is. With a band of 0
    /// it is the Euclidean distance.
    /// </summary>
    Dtw,
}
