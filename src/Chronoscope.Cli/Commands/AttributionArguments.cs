using System.CommandLine;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// The input attribution methods by their command-line names, and the options that tune them (shared by
/// <c>cam</c> and <c>faithfulness</c>); a method needing the training data without <c>--train</c>, or an occlusion
/// window longer than the series, is one clear usage error.
/// </summary>
internal sealed class AttributionArguments
{
    /// <summary>The attribution methods' names, in the order help lists them.</summary>
    public static readonly IReadOnlyList<string> Names = ["saliency", "gradient-x-input", "ig", "smoothgrad", "gradientshap", "occlusion", "random"];

    public Option<int> IgSteps { get; } = new("--ig-steps") { Description = "Integrated Gradients: steps of the midpoint rule.", DefaultValueFactory = _ => new IntegratedGradientsOptions().Steps, HelpName = "n" };

    public Option<string> Baseline { get; } = new("--baseline") { Description = "Integrated Gradients' baseline: zero, training-mean (needs --train) or noise.", DefaultValueFactory = _ => "zero", HelpName = "name" };

    public Option<int?> Samples { get; } = new("--samples") { Description = "SmoothGrad and GradientSHAP: noisy copies / baseline draws per item (default 50 and 32).", HelpName = "n" };

    public Option<int> Window { get; } = new("--window") { Description = "Occlusion: steps hidden at once.", DefaultValueFactory = _ => new OcclusionOptions().Window, HelpName = "steps" };

    public Option<int> Stride { get; } = new("--stride") { Description = "Occlusion: steps between windows.", DefaultValueFactory = _ => new OcclusionOptions().Stride, HelpName = "steps" };

    public Option<string?> Train { get; } = new("--train") { Description = "The model's training data file: GradientSHAP's baselines and the training-mean baseline and fill.", HelpName = "file" };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seeds SmoothGrad, GradientSHAP, noise and the random control.", DefaultValueFactory = _ => 0, HelpName = "n" };

    public IEnumerable<Option> All => [IgSteps, Baseline, Samples, Window, Stride, Train, Seed];

    /// <summary>The settings read from <paramref name="parse"/>, checked where no data is needed.</summary>
    public AttributionSettings Read(ParseResult parse)
    {
        var steps = parse.GetValue(IgSteps);
        if (steps < 1)
            throw new UsageException($"--ig-steps {steps}: expected at least 1 step.");
        var samples = parse.GetValue(Samples);
        if (samples is < 1)
            throw new UsageException($"--samples {samples}: expected at least 1.");
        var window = parse.GetValue(Window);
        var stride = parse.GetValue(Stride);
        if (window < 1 || stride < 1)
            throw new UsageException($"--window {window} --stride {stride}: expected at least 1 step each.");
        var baseline = parse.GetRequiredValue(Baseline).Trim().ToLowerInvariant() switch
        {
            "zero" => AttributionBaseline.Zero,
            "training-mean" => AttributionBaseline.TrainingMean,
            "noise" => AttributionBaseline.Noise,
            var other => throw new UsageException($"--baseline {other}: unknown baseline; expected zero, training-mean or noise."),
        };
        return new AttributionSettings(steps, baseline, samples, window, stride, parse.GetValue(Train), parse.GetValue(Seed));
    }

    /// <summary>The method called <paramref name="name"/> (one of <see cref="Names"/>) with <paramref name="settings"/>.</summary>
    public static MapMethod Create(string name, AttributionSettings settings) => name switch
    {
        "saliency" => MapMethod.Saliency,
        "gradient-x-input" => MapMethod.GradientTimesInput,
        "ig" => MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = settings.IgSteps, Baseline = settings.Baseline }),
        "smoothgrad" => MapMethod.SmoothGrad(settings.Samples is { } s ? new SmoothGradOptions { Samples = s } : null),
        "gradientshap" => MapMethod.GradientShap(settings.Samples is { } g ? new GradientShapOptions { Samples = g } : null),
        "occlusion" => MapMethod.Occlusion(new OcclusionOptions { Window = settings.Window, Stride = settings.Stride }),
        "random" => MapMethod.Random,
        _ => throw new UsageException($"unknown attribution method {name}"),
    };

    /// <summary>
    /// Checks <paramref name="names"/> against the data (window length, training data where needed) and reads the
    /// training data when given; all before any work or output.
    /// </summary>
    public static TimeSeriesDataset? Prepare(IReadOnlyCollection<string> names, AttributionSettings settings, TimeSeriesDataset data, bool needsTrain)
    {
        if (names.Contains("occlusion") && settings.Window > data.Length)
            throw new UsageException($"--window {settings.Window}: longer than the series ({data.Length} steps); choose at most {data.Length}.");
        var train = settings.TrainPath is { } path ? DatasetReader.Read(path) : null;
        var why = names.Contains("gradientshap") ? "gradientshap draws its baselines from the training data"
            : names.Contains("ig") && settings.Baseline == AttributionBaseline.TrainingMean ? "--baseline training-mean is the training data's mean"
            : needsTrain ? "the training-mean perturbation is the training data's mean"
            : null;
        if (why is not null && train is null)
            throw new UsageException($"{why}: give the model's training file with --train.");
        if (train is not null && (train.Channels != data.Channels || train.Length != data.Length))
            throw new UsageException($"--train {settings.TrainPath}: its series have {train.Channels} channel(s) x {train.Length} steps, the data's {data.Channels} x {data.Length}; they must match.");
        return train;
    }
}
