using Chronoscope.Cli.Output;
using Chronoscope.Data;

namespace Chronoscope.Cli.Commands;

/// <summary>The loaders a command trains on, and where their data came from (for the console and metrics.json).</summary>
/// <param name="Loaders">The training and validation loaders; disposed with this.</param>
/// <param name="Name">The dataset's name: the catalogue's spelling, or the one read from the files.</param>
/// <param name="Origin">Where the files came from, e.g. "the library's embedded copy", "files".</param>
/// <param name="TrainPath">The training file's full path.</param>
/// <param name="TestPath">The test file's full path, or null when only a training file was given (pooled).</param>
internal sealed record TrainingData(DataLoaders Loaders, string Name, string Origin, string TrainPath, string? TestPath) : IDisposable
{
    /// <summary>"GunPoint: 50 training and 150 validation series (official: ...), length 150, 1 channel, 2 classes; from files".</summary>
    public string Describe() =>
        $"{Name}: {Words.Number(Loaders.Train.Count)} training and {Words.Number(Loaders.Valid.Count)} validation series ({Loaders.Split}), " +
        $"length {Words.Number(Loaders.Length)}{Lengths()}, {Words.Plural(Loaders.Channels, "channel", "channels")}, " +
        $"{Words.Plural(Loaders.Classes.Count, "class", "classes")}; from {Origin}";

    private string Lengths() => Loaders.Resampled ? " (resampled)"
        : Loaders.PaddedPart is { } padded ? $" ({padded.Name} series of {padded.Lengths} padded)" : "";

    public void Dispose() => Loaders.Dispose();
}
