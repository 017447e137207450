using System.CommandLine;
using Chronoscope.Cli.Output;
using Chronoscope.Inference.Interop;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope import --from pytorch FILE --arch fastai|tsai|paper --channels C --classes K --length L
/// [--class-names ...] --out model.chronoscope</c>: a model file from a PyTorch state_dict (zip or safetensors).
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var from = Choice.Option("--from", "Where the weights come from.", new Choice<string>("pytorch", "pytorch"));
        var file = new Argument<string>("file") { Description = "The weights: torch.save(model.state_dict(), FILE) (zip format) or a .safetensors file." };
        var architecture = Choice.Option<PyTorchArchitecture>("--arch",
            "The Python network the weights belong to: fastai (create_inception, pytorch_inception.py --arch seed), tsai (InceptionTimePlus) or paper (pytorch_inception.py --arch tsai; kernels read from the file).",
            a => a.ToString().ToLowerInvariant());
        var channels = new Option<int>("--channels") { Description = "Channels of the input series; checked against the weights.", Required = true }.AtLeast(1);
        var classes = new Option<int>("--classes") { Description = "Number of classes; checked against the weights.", Required = true }.AtLeast(1);
        var length = new Option<int>("--length") { Description = "The series length the network was trained on.", Required = true }.AtLeast(1);
        var classNames = new Option<string[]>("--class-names")
        {
            Description = "Class names in output order, separated by commas as cam and report take them (or spaces) [default: from the JSON beside the weights, else 0..K-1].",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "names",
        };
        var metadata = new Option<string?>("--metadata")
        {
            Description = "A JSON with classes, normalization and length [default: FILE with extension .json, when present].",
            HelpName = "file",
        };
        var output = new Option<string>("--out") { Description = "The model file to write.", Required = true, HelpName = "file" };
        var command = new Command("import", "Make a Chronoscope model file from a PyTorch state_dict (fastai, tsai or the paper's InceptionTime): tensors only, no code runs.")
        {
            from, file, architecture, channels, classes, length, classNames, metadata, output,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(file);
            var outPath = parse.GetRequiredValue(output);
            var metadataPath = parse.GetValue(metadata);
            OutputFiles.Check("--out", outPath, [path, metadataPath ?? ModelMetadata.PathBeside(path)]);
            // "a,b" as the other commands take names, or "a b"; an empty name is left for the import to refuse.
            var names = parse.GetValue(classNames)?.SelectMany(token => token.Split(',', StringSplitOptions.TrimEntries)).ToArray();
            var imported = PyTorchModels.Import(path, new PyTorchImportOptions
            {
                Architecture = parse.GetRequiredValue(architecture).Value,
                Channels = parse.GetValue(channels),
                ClassCount = parse.GetValue(classes),
                SeriesLength = parse.GetValue(length),
                ClassNames = names is { Length: > 0 } ? names : null,
                MetadataPath = metadataPath,
            });
            using var classifier = imported.Classifier;
            foreach (var warning in imported.Warnings)
                context.WriteWarning(warning);
            classifier.Save(outPath);
            var options = classifier.Model.Options;
            context.WriteDone(
                $"wrote {Path.GetFullPath(outPath)}: InceptionTime ({options.Variant.ToString().ToLowerInvariant()}), depth {options.Depth}, kernels {string.Join(",", options.KernelSizes)}, " +
                $"{Words.Number(classifier.Model.ParameterCount)} parameters; classes {string.Join(", ", classifier.Classes)}; normalization {classifier.Normalizer.Kind}");
            return ExitCodes.Success;
        });
        return command;
    }
}
