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

    public Option<int> IgSteps { get; } = new Option<int>("--ig-steps") { Description = "Integrated Gradients: steps of the midpoint rule.", DefaultValueFactory = _ => new IntegratedGradientsOptions().Steps, HelpName = "n" }.AtLeast(1, MaxCount);

    public Option<Choice<AttributionBaseline>> Baseline { get; } = Choice.Option("--baseline", "Integrated Gradients' baseline (training-mean needs --train).",
        new Choice<AttributionBaseline>("zero", AttributionBaseline.Zero), new Choice<AttributionBaseline>("training-mean", AttributionBaseline.TrainingMean),
        new Choice<AttributionBaseline>("noise", AttributionBaseline.Noise));

    public Option<int?> Samples { get; } = new Option<int?>("--samples") { Description = "SmoothGrad and GradientSHAP: noisy copies / baseline draws per item (default 50 and 32).", HelpName = "n" }.AtLeast(1, MaxCount);

    public Option<int> Window { get; } = new Option<int>("--window") { Description = "Occlusion: steps hidden at once.", DefaultValueFactory = _ => new OcclusionOptions().Window, HelpName = "steps" }.AtLeast(1);

    public Option<int> Stride { get; } = new Option<int>("--stride") { Description = "Occlusion: steps between windows.", DefaultValueFactory = _ => new OcclusionOptions().Stride, HelpName = "steps" }.AtLeast(1);

    public Option<string?> Train { get; } = new("--train") { Description = "The model's training data file: GradientSHAP's baselines and the training-mean baseline and fill.", HelpName = "file" };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seeds SmoothGrad, GradientSHAP, noise and the random control.", DefaultValueFactory = _ => 0, HelpName = "n" };

    public IEnumerable<Option> All => [IgSteps, Baseline, Samples, Window, Stride, Train, Seed];

    /// <summary>Integration steps, noisy copies, baseline draws: at most a million each.</summary>
    private const int MaxCount = 1_000_000;

    /// <summary>
    /// The method called <paramref name="name"/>: one of <see cref="CamCommand.Methods"/>, or one of <see cref="Names"/>
    /// built with the tuning options of <paramref name="parse"/>.
    /// </summary>
    public MapMethod Method(string name, ParseResult parse)
    {
        if (CamCommand.Methods.TryGetValue(name, out var cam))
            return cam;
        var samples = parse.GetValue(Samples);
        return name switch
        {
            "saliency" => MapMethod.Saliency,
            "gradient-x-input" => MapMethod.GradientTimesInput,
            "ig" => MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = parse.GetValue(IgSteps), Baseline = parse.GetRequiredValue(Baseline).Value }),
            "smoothgrad" => MapMethod.SmoothGrad(samples is { } s ? new SmoothGradOptions { Samples = s } : null),
            "gradientshap" => MapMethod.GradientShap(samples is { } g ? new GradientShapOptions { Samples = g } : null),
            "occlusion" => MapMethod.Occlusion(new OcclusionOptions { Window = parse.GetValue(Window), Stride = parse.GetValue(Stride) }),
            "random" => MapMethod.Random,
            _ => throw new ArgumentException($"unknown map method {name}", nameof(name)),
        };
    }

    /// <summary>
    /// Checks <paramref name="names"/> against the data (window length, training data where needed) and reads the
    /// training data of <paramref name="parse"/> when given; all before any work or output.
    /// </summary>
    public TimeSeriesDataset? Prepare(IReadOnlyCollection<string> names, ParseResult parse, TimeSeriesDataset data, bool needsTrain)
    {
        var window = parse.GetValue(Window);
        if (names.Contains("occlusion") && window > data.Length)
            throw new UsageException($"--window {window}: longer than the series ({data.Length} steps); choose at most {data.Length}.");
        var trainPath = parse.GetValue(Train);
        var train = trainPath is { } path ? DatasetReader.Read(path) : null;
        var why = names.Contains("gradientshap") ? "gradientshap draws its baselines from the training data"
            : names.Contains("ig") && parse.GetRequiredValue(Baseline).Value == AttributionBaseline.TrainingMean ? "--baseline training-mean is the training data's mean"
            : needsTrain ? "the training-mean perturbation is the training data's mean"
            : null;
        if (why is not null && train is null)
            throw new UsageException($"{why}: give the model's training file with --train.");
        if (train is not null && (train.Channels != data.Channels || train.Length != data.Length))
            throw new UsageException($"--train {trainPath}: its series have {train.Channels} channel(s) x {train.Length} steps, the data's {data.Channels} x {data.Length}; they must match.");
        return train;
    }
}
