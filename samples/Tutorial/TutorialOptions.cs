namespace Chronoscope.Tutorial;

/// <summary>How <see cref="GunPointTutorial"/> runs; the defaults are the reference notebook's.</summary>
public sealed record TutorialOptions
{
    /// <summary>Where the model, metrics and pictures go. Defaults to <c>./chronoscope-tutorial</c>.</summary>
    public string OutputFolder { get; init; } = "chronoscope-tutorial";

    /// <summary>Epochs of one-cycle training. Defaults to 25, as the notebook (tests use fewer).</summary>
    public int Epochs { get; init; } = 25;

    /// <summary>The peak learning rate. Defaults to 1e-3, as the notebook.</summary>
    public double MaxLearningRate { get; init; } = 1e-3;

    /// <summary>Where datasets are cached; null (the default) is Chronoscope's cache folder (see <c>Datasets</c>).</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Seeds the split's shuffles and the initial weights. Defaults to 42.</summary>
    public int Seed { get; init; } = 42;
}
