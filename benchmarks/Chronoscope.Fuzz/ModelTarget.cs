using System.Security.Cryptography;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Models;

namespace Chronoscope.Fuzz;

/// <summary>
/// The model-file reader: the input is a model file without its last 32 bytes, and the target appends their SHA-256,
/// so mutations reach the header's fields and the weights instead of stopping at the checksum.
/// <see cref="TimeSeriesClassifier.Load"/> must return a classifier or throw <see cref="ModelFileException"/>.
/// </summary>
internal sealed class ModelTarget
{
    private readonly string _path = ScratchFile.PathFor(".chronoscope");

    public void Run(Stream input)
    {
        var body = ScratchFile.Write(_path, input);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write))
            file.Write(SHA256.HashData(body));
        try
        {
            using var classifier = TimeSeriesClassifier.Load(_path);
            Verbose.Say($"read: {classifier.Members.Count} network(s), {classifier.Classes.Count} classes, length {classifier.SeriesLength}");
        }
        catch (ModelFileException e)
        {
            Verbose.Say($"refused: {e.Message}");
        }
    }

    /// <summary>A small model (one channel, two classes, depth 1, 4 filters), written without its checksum.</summary>
    public static void WriteSeed(string path)
    {
        var options = new InceptionTimeOptions { Depth = 1, Filters = 4, KernelSizes = [5, 3], BottleneckSize = 4 };
        using var model = new InceptionTime(1, 2, options);
        var normalizer = Normalizer.FromStatistics(Normalization.PerSample, [], []);
        using var classifier = new TimeSeriesClassifier(model, ["a", "b"], normalizer, MissingValues.Interpolate, 16, "Seed");
        classifier.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^SHA256.HashSizeInBytes]);
    }
}
