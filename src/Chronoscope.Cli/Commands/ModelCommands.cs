using System.CommandLine;
using System.Globalization;
using Chronoscope.Cli.Output;
using Chronoscope.Inference;
using Chronoscope.Models;
using Spectre.Console;
using TorchSharp;

namespace Chronoscope.Cli.Commands;

/// <summary><c>chronoscope model summary</c>: the network layer by layer, as the reference's <c>model[i]</c> indexes it.</summary>
internal static class ModelCommands
{
    /// <summary>The series length shapes are shown for when neither --length nor a model file gives one: GunPoint's.</summary>
    private const int DefaultLength = 150;

    /// <summary>The longest series shapes are shown for.</summary>
    private const int MaxSummaryLength = 100_000;

    /// <summary>The longest series a summary's forward pass runs over (<see cref="Layers"/>).</summary>
    private const int ProbeLength = 1_000;

    public static Command Create(CliContext context)
    {
        var model = new Command("model", "Look inside networks and model files.");
        model.Subcommands.Add(Summary(context));
        return model;
    }

    private static Command Summary(CliContext context)
    {
        var file = new Option<string?>("--model") { Description = "A model file; its network, channels, classes and series length are shown.", HelpName = "file" };
        var channels = new Option<int>("--channels") { Description = "Without --model: channels of the input series.", DefaultValueFactory = _ => 1 }.AtLeast(1, NetworkLimits.MaxChannels);
        var classes = new Option<int>("--classes") { Description = "Without --model: classes to tell apart.", DefaultValueFactory = _ => 2 }.AtLeast(1, NetworkLimits.MaxClasses);
        var length = new Option<int?>("--length")
        {
            Description = $"The series length output shapes are computed for [default: the model's training length, else {DefaultLength}].",
        }.AtLeast(1, MaxSummaryLength);
        var network = new NetworkArguments();
        var command = new Command("summary", "One row per indexable layer (the index to explain with 'cam --layer'): description, output shape for one series, parameters; and the total.")
        {
            file, channels, classes, length,
        };
        foreach (var option in network.All)
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            TimeSeriesClassifier? classifier = null;
            InceptionTime? built = null;
            try
            {
                string title;
                InceptionTime net;
                int seriesLength;
                if (parse.GetValue(file) is { } path)
                {
                    string[] conflicting = [.. new Option[] { channels, classes }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name), .. network.Given(parse)];
                    if (conflicting.Length > 0)
                        throw new UsageException($"{string.Join(", ", conflicting)}: the network's shape comes from the model file; give either --model or these.");
                    classifier = TimeSeriesClassifier.Load(path);
                    net = classifier.Model;
                    seriesLength = parse.GetValue(length) ?? classifier.SeriesLength;
                    title = $"{path}: trained on {classifier.DatasetName}, classes {string.Join(", ", classifier.Classes)}; ";
                }
                else
                {
                    var shape = network.Read(parse);
                    NetworkArguments.CheckSize(parse.GetValue(channels), parse.GetValue(classes), shape);
                    built = new InceptionTime(parse.GetValue(channels), parse.GetValue(classes), shape);
                    net = built;
                    seriesLength = parse.GetValue(length) ?? DefaultLength;
                    title = "";
                }
                var options = net.Options;
                CliContext.WriteLine(context.Output,
                    $"{title}InceptionTime ({options.Variant.ToString().ToLowerInvariant()}): {Words.Plural(net.InputChannels, "channel", "channels")} → " +
                    $"{Words.Plural(net.ClassCount, "class", "classes")}, depth {options.Depth}, {options.Filters} filters, kernels {string.Join(",", options.KernelSizes)}, " +
                    $"bottleneck {options.BottleneckSize}; shapes for one series of length {Words.Number(seriesLength)}");

                var rows = Layers(net, seriesLength)
                    .Select(l => (IReadOnlyList<string>)[l.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(l.Description), l.Shape, Words.Number(l.Parameters)])
                    .Append(["", "total", "", Words.Number(net.ParameterCount)])
                    .ToList();
                TableWriter.Write(context, ["layer", "description", "output shape", "parameters"], rows, 0, 3);
                return ExitCodes.Success;
            }
            finally
            {
                classifier?.Dispose();
                built?.Dispose();
            }
        });
        return command;
    }

    /// <summary>
    /// Each layer's index, description, output shape for one series of <paramref name="length"/> steps and parameters.
    /// The shapes come from a forward pass in eval mode without gradients over at most <see cref="ProbeLength"/> steps:
    /// every layer before the pooling keeps the input's length, so a longer series shows its own length there, and a
    /// wide network on a long series is described without holding its activations (256 filters at 100,000 steps: 10 GB).
    /// </summary>
    internal static IReadOnlyList<(int Index, string Description, string Shape, long Parameters)> Layers(InceptionTime model, int length)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var probe = Math.Min(length, ProbeLength);
            var input = torch.zeros(1, model.InputChannels, probe); // (1, C, L)
            var layers = new List<(int, string, string, long)>();
            for (var i = 0; i < model.LayerCount; i++)
            {
                model.Forward(input, i, out var activation);
                var dimensions = activation!.shape.Select((d, axis) => axis == 2 && d == probe ? length : d);
                var shape = $"({string.Join(", ", dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
                layers.Add((i, model.DescribeLayer(i), shape, model[i].parameters().Sum(p => p.numel())));
            }
            return layers;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
