namespace Chronoscope.Explain;

/// <summary>How counterfactuals are sought (Native Guide, Delaney, Greene and Keane 2021, with its defaults unless said).</summary>
public sealed record CounterfactualOptions
{
    /// <summary>
    /// The class index every counterfactual aims at; it must differ from each query's prediction. Null (the default)
    /// aims each query at its runner-up, the class the model finds second most likely.
    /// </summary>
    public int? Target { get; init; }

    /// <summary>How the nearest unlike neighbour is chosen. Defaults to <see cref="SeriesDistance.Euclidean"/>, as Native Guide.</summary>
    public SeriesDistance Distance { get; init; } = SeriesDistance.Euclidean;

    /// <summary>
    /// The Sakoe–Chiba band of dynamic time warping, in steps: the neighbour search with <see cref="SeriesDistance.Dtw"/>
    /// and every counterfactual's DTW measure. Null (the default) is 10% of the series length, rounded, the band the UCR
    /// archive's DTW baselines commonly start from.
    /// </summary>
    public int? Band { get; init; }

    /// <summary>
    /// The probability of the target class a counterfactual must reach, besides being the prediction. Defaults to 0.5,
    /// as Native Guide.
    /// </summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>
    /// The map that places the window, computed on the neighbour for the target class (its prediction, so
    /// <see cref="ExplainOptions.Target"/> is ignored). Defaults to Grad-CAM of the last Inception block, as
    /// <see cref="ExplainOptions"/>; Native Guide used the CAM of its network.
    /// </summary>
    public ExplainOptions Map { get; init; } = new();

    /// <summary>
    /// Window lengths tried grow by this many steps (1, then 1 + step, ...; the whole series last). Defaults to 1, as
    /// Native Guide: the smallest window that flips the model. A larger step needs fewer forward passes.
    /// </summary>
    public int WindowStep { get; init; } = 1;

    /// <summary>Series per forward pass when candidate windows are classified. Defaults to 256.</summary>
    public int BatchSize { get; init; } = 256;
}
