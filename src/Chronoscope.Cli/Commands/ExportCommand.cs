using System.CommandLine;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Onnx;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope export --model M --to pytorch|safetensors|onnx --out FILE</c>: the weights for PyTorch (with a JSON of
/// classes, normalization and architecture beside them) or the whole classifier as one ONNX graph.
/// </summary>
internal static class ExportCommand
{
    private enum Target
    {
        PyTorch,
        Safetensors,
        Onnx,
    }

    public static Command Create(CliContext context)
    {
        var model = PredictCommand.ModelOption();
        var target = Choice.Option<Target>("--to",
            "pytorch: a state_dict for torch.load (its Python twin loads it with load_state_dict(strict=True)); safetensors: the same as safetensors; onnx: the classifier, normalization included, as one graph.",
            t => t.ToString().ToLowerInvariant());
        var output = new Option<string>("--out") { Description = "The file to write; pytorch and safetensors also write FILE's name with extension .json.", Required = true, HelpName = "file" };
        var opset = new Option<int>("--opset")
        {
            Description = $"ONNX: the operator set, {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}.",
            DefaultValueFactory = _ => OnnxExportOptions.MinimumOpset,
        }.AtLeast(OnnxExportOptions.MinimumOpset, OnnxExportOptions.MaximumOpset);
        var activations = new Option<int?>("--activations")
        {
            Description = "ONNX: also output this layer's activations (the index 'cam --layer' takes, e.g. 5 for the last block), to compute a CAM from the ONNX model.",
            HelpName = "layer",
        };
        var fixedLength = new Option<bool>("--fixed-length") { Description = "ONNX: fix the input length to the model's training length [default: any length, except for a model trained with --normalize mean-series, whose graph always takes that length]." };
        var member = new Option<int?>("--member")
        {
            Description = "For an ensemble (train --ensemble): which network to export, from 1; each format holds one network.",
            HelpName = "N",
        }.AtLeast(1, Models.NetworkLimits.MaxMembers);
        var command = new Command("export", "Write a model's weights for PyTorch or safetensors, or the whole classifier as ONNX.")
        {
            model, target, output, opset, activations, fixedLength, member,
        };
        command.SetAction(parse =>
        {
            var modelPath = parse.GetRequiredValue(model);
            var outPath = parse.GetRequiredValue(output);
            var to = parse.GetRequiredValue(target).Value;
            OutputFiles.Check("--out", outPath, [modelPath]);
            if (to != Target.Onnx)
                OutputFiles.Check("--out's JSON", ModelMetadata.PathBeside(outPath), [modelPath]); // written beside the weights
            using var loaded = TimeSeriesClassifier.Load(modelPath);
            var which = parse.GetValue(member);
            if (loaded.IsEnsemble && which is null)
                throw new UsageException($"{modelPath} is an ensemble of {loaded.Members.Count} networks and each format holds one: give --member 1 to {loaded.Members.Count}.");
            if (which > loaded.Members.Count)
                throw new UsageException($"--member {which}: expected 1 to {loaded.Members.Count} (the model's networks).");
            using var chosen = loaded.IsEnsemble ? loaded.Member(which!.Value - 1) : null;
            var classifier = chosen ?? loaded;
            string[] onnxOnly = [.. new Option[] { opset, activations, fixedLength }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name)];
            if (to != Target.Onnx && onnxOnly.Length > 0)
                throw new UsageException($"{string.Join(", ", onnxOnly)}: only for --to onnx.");
            if (parse.GetValue(activations) is { } asked && (asked < 0 || asked >= classifier.Model.LayerCount))
                throw new UsageException($"--activations {asked}: out of range; expected a layer from 0 to {classifier.Model.LayerCount - 1} ({classifier.Model.LastBlock} is the last Inception block).");
            if (to == Target.Onnx)
            {
                OnnxExport.Save(classifier, outPath, new OnnxExportOptions
                {
                    Opset = parse.GetValue(opset),
                    ActivationLayer = parse.GetValue(activations),
                    FixedLength = parse.GetValue(fixedLength),
                });
                // The graph's length is fixed when asked, and always for a mean series, which has one length.
                var length = parse.GetValue(fixedLength) || classifier.Normalizer.Kind == Normalization.MeanSeries
                    ? classifier.SeriesLength.ToString(System.Globalization.CultureInfo.InvariantCulture) : "length";
                context.WriteDone($"wrote {Path.GetFullPath(outPath)}: input 'series' (batch, {classifier.Model.InputChannels}, {length}) as read, output 'probabilities'" +
                    (parse.GetValue(activations) is { } layer ? $" and 'activations' (layer {layer}: {classifier.Model.DescribeLayer(layer)})" : "") +
                    $"; opset {parse.GetValue(opset)}");
                return ExitCodes.Success;
            }
            var files = PyTorchModels.Export(classifier, outPath, to == Target.PyTorch ? WeightFormat.PyTorch : WeightFormat.Safetensors);
            context.WriteDone($"wrote {Path.GetFullPath(files.WeightsPath)} and {Path.GetFullPath(files.MetadataPath)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
