using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Training;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// A small classifier trained once per test run on a planted-pattern set (three channels, the bump in channel 1 only),
/// with its training set and a held-out set whose truth is known. Trains in a few seconds.
/// </summary>
internal static class PlantedModel
{
    private static readonly Lazy<(TimeSeriesClassifier Classifier, PlantedPatternSet Train, PlantedPatternSet Test, double Accuracy)> Trained = new(Train);

    public static PlantedPatternOptions Shape { get; } = new() { Channels = 3, Length = 60, PatternLength = 8, PlantedChannels = [1], Amplitude = 2.5, Noise = 1 };

    public static TimeSeriesClassifier Classifier => Trained.Value.Classifier;

    public static PlantedPatternSet TrainSet => Trained.Value.Train;

    public static PlantedPatternSet TestSet => Trained.Value.Test;

    public static double Accuracy => Trained.Value.Accuracy;

    private static (TimeSeriesClassifier, PlantedPatternSet, PlantedPatternSet, double) Train()
    {
        var train = PlantedPatternData.Create(Shape with { Count = 192, Seed = 1 }, "Planted");
        var test = PlantedPatternData.Create(Shape with { Count = 64, Seed = 2 }, "Planted");
        using var loaders = DataLoaders.FromDatasets(train.Data, test.Data, new DataLoadersOptions { BatchSize = 32 });
        var learner = Learner.Create(loaders, new LearnerOptions { Model = SmallModels.Shape, Seed = 3, BatchNormCalibration = BatchNormCalibration.Always });
        var fit = learner.FitOneCycle(10, 1e-2);
        return (learner.Classifier, train, test, fit.Last!["accuracy"]);
    }
}
