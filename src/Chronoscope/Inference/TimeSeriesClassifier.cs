using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Inference;

/// <summary>
/// A trained network with everything it needs to classify new series: the class vocabulary, the normalization fitted
/// on its training data and the missing-value policy. Saves to and loads from one file.
/// </summary>
public sealed class TimeSeriesClassifier : IDisposable
{
    public TimeSeriesClassifier(InceptionTime model, IReadOnlyList<string> classes, Normalizer normalizer, MissingValues missingValues, int seriesLength, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(normalizer);
        if (classes.Count != model.ClassCount)
            throw new ArgumentException($"the model has {model.ClassCount} outputs but {classes.Count} classes were given", nameof(classes));
        Model = model;
        Classes = classes;
        Normalizer = normalizer;
        MissingValues = missingValues;
        SeriesLength = seriesLength;
        DatasetName = datasetName;
    }

    /// <summary>The network.</summary>
    public InceptionTime Model { get; }

    /// <summary>The class names; output k of the network is class <c>Classes[k]</c>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The scaling applied to every input, fitted on the training data.</summary>
    public Normalizer Normalizer { get; }

    /// <summary>How missing values in new data are filled.</summary>
    public MissingValues MissingValues { get; }

    /// <summary>The series length of the training data (the network itself accepts any length).</summary>
    public int SeriesLength { get; }

    /// <summary>The dataset the model was trained on.</summary>
    public string DatasetName { get; }

    /// <summary>How the model was trained, when known.</summary>
    public TrainingSummary? Training { get; set; }

    /// <summary>A loader over <paramref name="data"/> prepared as the training data was; labels must be among <see cref="Classes"/>.</summary>
    public DataLoader CreateLoader(TimeSeriesDataset data, int batchSize = 64)
    {
        CheckChannels(data);
        return DataLoader.ForInference(data, Normalizer, MissingValues, Classes, batchSize);
    }

    /// <summary>Throws a <see cref="DatasetFormatException"/> naming <paramref name="data"/>'s file when its channels are not the model's.</summary>
    internal void CheckChannels(TimeSeriesDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Channels != Model.InputChannels)
        {
            var where = data.Sources.Count > 0 ? data.Sources[0] : data.Name;
            throw new DatasetFormatException(where, null,
                $"the model was trained on {Model.InputChannels}-channel series ({DatasetName}), this data has {data.Channels} channels.");
        }
    }

    /// <summary>Class probabilities for every series of <paramref name="data"/>.</summary>
    public Predictions Predict(TimeSeriesDataset data, int batchSize = 64)
    {
        using var loader = CreateLoader(data, batchSize);
        return Predict(loader);
    }

    /// <summary>Class probabilities for every series of <paramref name="loader"/>, in order (eval mode, no gradients).</summary>
    public Predictions Predict(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        var probabilities = new float[loader.Count * Classes.Count];
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var offset = 0;
            foreach (var indices in loader.BatchIndices(0))
            {
                using var scope = torch.NewDisposeScope();
                using var batch = loader.GetBatch(indices);
                var p = torch.nn.functional.softmax(Model.call(batch.Inputs), 1); // (B, K)
                p.cpu().data<float>().CopyTo(probabilities, offset);
                offset += indices.Length * Classes.Count;
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return new Predictions(Classes, probabilities, loader.Targets?.Select(t => (int)t).ToArray());
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file renamed into place), with a checksum.</summary>
    public void Save(string path) => ModelFile.Write(this, path);

    /// <summary>
    /// Reads a model written by <see cref="Save"/>, streamed and checked field by field before anything is built; any
    /// problem is a <see cref="ModelFileException"/> that says what is wrong.
    /// </summary>
    public static TimeSeriesClassifier Load(string path) => ModelFile.Read(path);

    public void Dispose() => Model.Dispose();
}
