using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Onnx;

/// <summary>
/// A classifier as one ONNX graph: input <c>series</c> (batch, C, length) as read (missing values already filled),
/// the classifier's normalization, the network in eval mode (BatchNorm with its running statistics), and output
/// <c>probabilities</c> (batch, classes) after softmax; optionally a second output <c>activations</c>, the output of a
/// chosen layer (with the head's weights, initializer <c>head.weight</c>, that gives a CAM). Batch is dynamic, and so
/// is the length unless <see cref="OnnxExportOptions.FixedLength"/> or the normalization subtracts a mean series
/// (which has the training length). Classes and normalization are also written as the model's metadata properties.
/// </summary>
public static class OnnxExport
{
    private const float BatchNormEpsilon = 1e-5f; // TorchSharp's and PyTorch's BatchNorm1d default, which InceptionTime uses

    /// <summary>Writes <paramref name="classifier"/> to <paramref name="path"/> as ONNX, atomically.</summary>
    public static void Save(TimeSeriesClassifier classifier, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Build(classifier, options ?? new OnnxExportOptions(), path);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The ONNX model's bytes; <paramref name="path"/> only names the target in error messages.</summary>
    internal static byte[] Build(TimeSeriesClassifier classifier, OnnxExportOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        classifier.ThrowIfDisposed();
        if (classifier.IsEnsemble)
            throw new ArgumentException($"the classifier is an ensemble of {classifier.Members.Count} networks; this export writes one network: export its members one by one (TimeSeriesClassifier.Member).", nameof(classifier));
        ArgumentNullException.ThrowIfNull(options);
        if (options.Opset is < OnnxExportOptions.MinimumOpset or > OnnxExportOptions.MaximumOpset)
            throw new ModelInteropException(path, $"opset {options.Opset} is not supported: this exporter writes opsets {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}.");
        var model = classifier.Model;
        if (options.ActivationLayer is { } layer && (layer < 0 || layer >= model.LayerCount))
            throw new ModelInteropException(path, $"layer {layer} does not exist: the model has layers 0 to {model.LayerCount - 1} (0..{model.LastBlock} the Inception blocks, {model.LastBlock + 1} the pool, {model.LastBlock + 2} flatten, {model.LastBlock + 3} linear).");

        var graph = new OnnxGraph();
        var weights = Weights(model);
        string Param(string name) => graph.Initializer(name, weights[name].Shape, weights[name].Values);
        bool Has(string name) => weights.ContainsKey(name);

        // The mean series has one length: a graph that subtracts it takes that length only.
        var length = options.FixedLength || classifier.Normalizer.Kind == Normalization.MeanSeries ? (object)classifier.SeriesLength : "length";
        graph.Input("series", "batch", model.InputChannels, length);
        var x = Normalize(graph, classifier, options.Opset);

        var variant = model.Options.Variant;
        var fastai = variant == InceptionTimeVariant.Fastai;
        var tsai = variant == InceptionTimeVariant.Tsai;
        var residual = x;
        string? captured = null;
        var depth = model.Options.Depth;
        for (var d = 0; d < depth; d++)
        {
            var prefix = $"blocks.{d}";
            var input = x;
            var bottled = Has($"{prefix}.inception.bottleneck.weight")
                ? graph.Node("Conv", Has($"{prefix}.inception.bottleneck.bias")
                    ? [input, Param($"{prefix}.inception.bottleneck.weight"), Param($"{prefix}.inception.bottleneck.bias")]
                    : [input, Param($"{prefix}.inception.bottleneck.weight")])
                : input;
            var branches = new List<string>();
            for (var i = 0; i < model.Options.KernelSizes.Count; i++)
            {
                var k = model.Options.KernelSizes[i];
                var (before, after) = InceptionModule.SamePadding(k);
                branches.Add(graph.Node("Conv", [bottled, Param($"{prefix}.inception.convs.{i}.weight")],
                    ("kernel_shape", new long[] { k }), ("pads", new long[] { before, after })));
            }
            var pooled = graph.Node("MaxPool", [input], ("kernel_shape", new long[] { 3 }), ("strides", new long[] { 1 }), ("pads", new long[] { 1, 1 }));
            branches.Add(graph.Node("Conv", [pooled, Param($"{prefix}.inception.pool_conv.weight")]));
            var joined = graph.Node("Concat", [.. branches], ("axis", 1L));
            var output = BatchNorm(graph, joined, $"{prefix}.inception.bn", Param);
            if (!tsai || d % 3 != 2)
                output = graph.Node("Relu", [output]);
            if (Has($"{prefix}.shortcut.bn.weight"))
            {
                var source = fastai ? input : residual;
                var projected = Has($"{prefix}.shortcut.conv.weight") ? graph.Node("Conv", [source, Param($"{prefix}.shortcut.conv.weight")]) : source;
                output = graph.Node("Relu", [graph.Node("Add", [output, BatchNorm(graph, projected, $"{prefix}.shortcut.bn", Param)])]);
                residual = output;
            }
            x = output; // (B, 4F, T)
            if (options.ActivationLayer == d)
                captured = x;
        }

        x = fastai
            ? graph.Node("Concat", [graph.Node("GlobalMaxPool", [x]), graph.Node("GlobalAveragePool", [x])], ("axis", 1L)) // (B, 8F, 1)
            : graph.Node("GlobalAveragePool", [x]); // (B, 4F, 1)
        if (options.ActivationLayer == depth)
            captured = x;
        x = graph.Node("Flatten", [x], ("axis", 1L));
        if (options.ActivationLayer == depth + 1)
            captured = x;
        var logits = graph.Node("Gemm", [x, Param("head.weight"), Param("head.bias")], ("transB", 1L));
        if (options.ActivationLayer == depth + 2)
            captured = logits;
        graph.NodeWithOutput("Softmax", [logits], "probabilities", ("axis", 1L));
        graph.Output("probabilities", "batch", model.ClassCount);
        if (captured is not null)
        {
            graph.NodeWithOutput("Identity", [captured], "activations");
            graph.Output("activations", ActivationShape(model, options.ActivationLayer!.Value, length));
        }

        var irVersion = options.Opset switch { <= 18 => 8L, <= 20 => 9L, _ => 10L };
        var version = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        return graph.ToModel($"InceptionTime ({classifier.DatasetName})", options.Opset, irVersion, version, Metadata(classifier, options));
    }

    /// <summary>The normalization as graph nodes; the input itself when there is none.</summary>
    private static string Normalize(OnnxGraph graph, TimeSeriesClassifier classifier, int opset)
    {
        var normalizer = classifier.Normalizer;
        var channels = classifier.Model.InputChannels;
        switch (normalizer.Kind)
        {
            case Normalization.None:
                return "series";
            case Normalization.PerSample:
            {
                // (x - mean) / deviation over each series' channel, a deviation below Normalizer.Tiny counting as 1; as Normalizer.
                string Mean(string v) => opset >= 18
                    ? graph.Node("ReduceMean", [v, graph.Initializer(graph.Name("time_axis"), [1], new long[] { 2 })], ("keepdims", 1L))
                    : graph.Node("ReduceMean", [v], ("axes", new long[] { 2 }), ("keepdims", 1L));
                var mean = Mean("series"); // (B, C, 1)
                var meanOfSquares = Mean(graph.Node("Mul", ["series", "series"]));
                var variance = graph.Node("Max", [graph.Node("Sub", [meanOfSquares, graph.Node("Mul", [mean, mean])]), graph.Initializer(graph.Name("zero"), [], [0f])]);
                var deviation = graph.Node("Sqrt", [variance]);
                var one = graph.Initializer(graph.Name("one"), [], [1f]);
                var factor = graph.Node("Where", [
                    graph.Node("Greater", [deviation, graph.Initializer(graph.Name("tiny"), [], [(float)Normalizer.Tiny])]),
                    graph.Node("Div", [one, deviation]),
                    one]);
                return graph.Node("Mul", [graph.Node("Sub", ["series", mean]), factor]);
            }
            default:
            {
                // As Normalizer: (x - offset) · Factor(scale); the offset one per channel, or per channel and step (the
                // mean series).
                var factors = normalizer.Scales.Select(s => (float)Normalizer.Factor(s)).ToArray();
                var steps = normalizer.Kind == Normalization.MeanSeries ? normalizer.Steps : 1;
                var offset = graph.Initializer("normalization.offset", [1, channels, steps], [.. normalizer.Offsets]);
                var factor = graph.Initializer("normalization.factor", [1, channels, 1], factors);
                return graph.Node("Mul", [graph.Node("Sub", ["series", offset]), factor]);
            }
        }
    }

    private static string BatchNorm(OnnxGraph graph, string input, string prefix, Func<string, string> param) =>
        graph.Node("BatchNormalization",
            [input, param($"{prefix}.weight"), param($"{prefix}.bias"), param($"{prefix}.running_mean"), param($"{prefix}.running_var")],
            ("epsilon", BatchNormEpsilon));

    private static object[] ActivationShape(InceptionTime model, int layer, object length)
    {
        var width = model.Options.BlockChannels;
        var pooled = model.Options.Variant == InceptionTimeVariant.Fastai ? 2 * width : width;
        var depth = model.Options.Depth;
        return layer < depth ? ["batch", width, length]
            : layer == depth ? ["batch", pooled, 1]
            : layer == depth + 1 ? ["batch", pooled]
            : ["batch", model.ClassCount];
    }

    /// <summary>Every float parameter and buffer of the model (not BatchNorm's batch counters), by Chronoscope name.</summary>
    private static Dictionary<string, (long[] Shape, float[] Values)> Weights(InceptionTime model)
    {
        var weights = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (tensor.dtype != torch.float32)
                continue;
            weights[name] = (tensor.shape, tensor.detach().cpu().contiguous().data<float>().ToArray());
        }
        return weights;
    }

    private static List<(string, string)> Metadata(TimeSeriesClassifier classifier, OnnxExportOptions options)
    {
        var list = new List<(string, string)>
        {
            ("classes", JsonSerializer.Serialize(classifier.Classes)),
            ("normalization", classifier.Normalizer.Kind.ToString()),
            ("missing_values", classifier.MissingValues.ToString() + " (not in the graph: fill missing values before)"),
            ("variable_lengths", classifier.VariableLengths == VariableLengths.Resample
                ? string.Create(CultureInfo.InvariantCulture, $"Resample (not in the graph: resample every series linearly to {classifier.SeriesLength} steps before)")
                : "Pad"),
            ("dataset", classifier.DatasetName),
            ("series_length", classifier.SeriesLength.ToString(CultureInfo.InvariantCulture)),
            ("variant", classifier.Model.Options.Variant.ToString()),
        };
        if (options.ActivationLayer is { } layer)
            list.Add(("activations_layer", $"{layer}: {classifier.Model.DescribeLayer(layer)}"));
        return list;
    }
}
