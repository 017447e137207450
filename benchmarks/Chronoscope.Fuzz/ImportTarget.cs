using Chronoscope.Data;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;

namespace Chronoscope.Fuzz;

/// <summary>
/// The state_dict reader behind <c>chronoscope import</c>: the input is a whole weights file (torch.save's zip or
/// safetensors, told apart by their first bytes, as the reader does), imported under each of the three key layouts.
/// <see cref="PyTorchModels.Import"/> must return a classifier that predicts a series of its length, or throw
/// <see cref="ModelInteropException"/>; anything else (libtorch's refusals included) escapes as a crash.
/// </summary>
internal sealed class ImportTarget
{
    private const int Length = 16;
    private readonly string _path = ScratchFile.PathFor(".pt");

    public void Run(Stream input)
    {
        ScratchFile.Write(_path, input);
        foreach (var architecture in Enum.GetValues<PyTorchArchitecture>())
        {
            ImportedModel imported;
            try
            {
                imported = PyTorchModels.Import(_path, new PyTorchImportOptions { Architecture = architecture, SeriesLength = Length });
            }
            catch (ModelInteropException e)
            {
                Verbose.Say($"{architecture}: refused: {e.Message}");
                continue;
            }
            using var classifier = imported.Classifier;
            var channels = classifier.Model.InputChannels;
            var series = new TimeSeriesDataset("fuzz", new float[channels * Length], 1, channels, Length, labels: null);
            var predicted = classifier.Predict(series);
            Verbose.Say($"{architecture}: read: {classifier.Classes.Count} classes, {channels} channels; predicted {predicted.PredictedClass(0)}");
        }
    }

    /// <summary>
    /// Seeds: a small network (4 filters, kernels 5 and 3) of each variant, so each key layout, exported as a
    /// state_dict and as safetensors.
    /// </summary>
    public static void WriteSeeds(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var variant in Enum.GetValues<InceptionTimeVariant>())
        {
            var options = new InceptionTimeOptions { Variant = variant, Depth = 3, Filters = 4, KernelSizes = [5, 3], BottleneckSize = 4 };
            using var model = new InceptionTime(1, 2, options);
            var normalizer = Normalizer.FromStatistics(Normalization.PerSample, [], []);
            using var classifier = new Inference.TimeSeriesClassifier(model, ["a", "b"], normalizer, MissingValues.Interpolate, Length, "Seed");
            foreach (var format in new[] { WeightFormat.PyTorch, WeightFormat.Safetensors })
            {
                var name = $"{variant.ToString().ToLowerInvariant()}{(format == WeightFormat.PyTorch ? ".pt" : ".safetensors")}";
                var files = PyTorchModels.Export(classifier, Path.Combine(folder, name), format);
                File.Delete(files.MetadataPath); // the target reads the weights alone, as a file without its JSON
            }
        }
    }
}
