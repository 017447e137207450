using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Inference;

/// <summary>
/// A trained network, or an ensemble of networks (InceptionTime proper: several networks from different seeds whose
/// softmax probabilities are averaged), with everything it needs to classify new series: the class vocabulary, the
/// normalization fitted on its training data and the missing-value policy. Saves to and loads from one file.
/// </summary>
public sealed class TimeSeriesClassifier : IDisposable
{
    private bool _disposed;

    /// <summary>A classifier of one network.</summary>
    public TimeSeriesClassifier(InceptionTime model, IReadOnlyList<string> classes, Normalizer normalizer, MissingValues missingValues, int seriesLength, string datasetName)
        : this([model ?? throw new ArgumentNullException(nameof(model))], classes, normalizer, missingValues, seriesLength, datasetName)
    {
    }

    /// <summary>An ensemble: networks of the same shape, input channels and classes; it owns them.</summary>
    public TimeSeriesClassifier(IReadOnlyList<InceptionTime> members, IReadOnlyList<string> classes, Normalizer normalizer, MissingValues missingValues, int seriesLength, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(normalizer);
        if (members.Count == 0 || members.Any(m => m is null))
            throw new ArgumentException("expected at least one network", nameof(members));
        var first = members[0];
        if (members.Any(m => m.InputChannels != first.InputChannels || m.ClassCount != first.ClassCount || !m.Options.HasSameWeightsAs(first.Options)))
            throw new ArgumentException("the members of an ensemble must share the network's options, input channels and classes", nameof(members));
        if (classes.Count != first.ClassCount)
            throw new ArgumentException($"the model has {first.ClassCount} outputs but {classes.Count} classes were given", nameof(classes));
        if (classes.Any(c => c is null) || classes.Distinct(StringComparer.Ordinal).Count() != classes.Count)
            throw new ArgumentException($"each output needs its own class name, found {string.Join(", ", classes.Select(c => c is null ? "null" : $"'{c}'"))}", nameof(classes));
        if (!Enum.IsDefined(missingValues))
            throw new ArgumentOutOfRangeException(nameof(missingValues), missingValues, $"expected one of {string.Join(", ", Enum.GetNames<MissingValues>())}");
        if (seriesLength is < 1 or > NetworkLimits.MaxSeriesLength)
            throw new ArgumentOutOfRangeException(nameof(seriesLength), seriesLength, FormattableString.Invariant($"expected the training series' length, 1 to {NetworkLimits.MaxSeriesLength:N0} steps"));
        if (normalizer.Kind == Normalization.MeanSeries && normalizer.Steps != seriesLength)
            throw new ArgumentException($"the normalizer's mean series has {normalizer.Steps} steps, the series {seriesLength}: fit it on the training series the model takes", nameof(normalizer));
        Members = [.. members];
        Classes = classes;
        Normalizer = normalizer;
        MissingValues = missingValues;
        SeriesLength = seriesLength;
        DatasetName = datasetName;
    }

    /// <summary>
    /// An ensemble of copies of the networks of <paramref name="classifiers"/> (each may be an ensemble itself), which
    /// must agree on classes, normalization and missing values; the training summary is the first's. The inputs keep
    /// their own networks.
    /// </summary>
    public static TimeSeriesClassifier Ensemble(IReadOnlyList<TimeSeriesClassifier> classifiers)
    {
        ArgumentNullException.ThrowIfNull(classifiers);
        if (classifiers.Count == 0)
            throw new ArgumentException("expected at least one classifier", nameof(classifiers));
        if (classifiers.Contains(null!))
            throw new ArgumentException("expected classifiers, found a null one", nameof(classifiers));
        foreach (var classifier in classifiers)
            classifier.ThrowIfDisposed(); // a disposed network's state_dict is empty: its copy would fail to load, confusingly
        var first = classifiers[0];
        foreach (var other in classifiers.Skip(1))
        {
            if (!other.Classes.SequenceEqual(first.Classes, StringComparer.Ordinal) || other.MissingValues != first.MissingValues
                || other.Normalizer.Kind != first.Normalizer.Kind || !other.Normalizer.Offsets.SequenceEqual(first.Normalizer.Offsets)
                || !other.Normalizer.Scales.SequenceEqual(first.Normalizer.Scales) || other.VariableLengths != first.VariableLengths
                || (other.SeriesLength != first.SeriesLength && first.VariableLengths == VariableLengths.Resample))
                throw new ArgumentException("the members of an ensemble must share classes, normalization, missing-value handling and the length their inputs are resampled to (train them on the same data)", nameof(classifiers));
        }
        var copies = new List<InceptionTime>();
        try
        {
            foreach (var network in classifiers.SelectMany(c => c.Members))
            {
                var copy = new InceptionTime(network.InputChannels, network.ClassCount, network.Options);
                copies.Add(copy);
                copy.load_state_dict(network.state_dict());
                copy.to(TorchRuntime.Device);
                copy.eval();
            }
            return new TimeSeriesClassifier(copies, first.Classes, first.Normalizer, first.MissingValues, first.SeriesLength, first.DatasetName)
            {
                Training = first.Training,
                VariableLengths = first.VariableLengths,
            };
        }
        catch
        {
            copies.ForEach(c => c.Dispose());
            throw;
        }
    }

    /// <summary>Network <paramref name="index"/> (from 0) as a classifier of its own: a copy, with the same classes, normalization and training summary.</summary>
    public TimeSeriesClassifier Member(int index)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Members.Count);
        // A view over the shared network, never disposed: the copy is what the caller owns.
        var view = new TimeSeriesClassifier([Members[index]], Classes, Normalizer, MissingValues, SeriesLength, DatasetName) { Training = Training, VariableLengths = VariableLengths };
        return Ensemble([view]);
    }

    /// <summary>The networks: one, or the members of an ensemble (all of the same shape).</summary>
    public IReadOnlyList<InceptionTime> Members { get; }

    /// <summary>The network; for an ensemble its first member (every member has the same shape, channels and classes).</summary>
    public InceptionTime Model => Members[0];

    /// <summary>True for more than one network.</summary>
    public bool IsEnsemble => Members.Count > 1;

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

    /// <summary>
    /// How the training series of different lengths reached one length; with <see cref="VariableLengths.Resample"/>
    /// every input is resampled to <see cref="SeriesLength"/> (<see cref="Conform"/>). Defaults to
    /// <see cref="VariableLengths.Pad"/>: inputs run at their own length.
    /// </summary>
    public VariableLengths VariableLengths { get; init; } = VariableLengths.Pad;

    /// <summary>
    /// <paramref name="data"/> as the network takes it: for a model trained on resampled series, every series resampled
    /// to <see cref="SeriesLength"/> unless all have that length already; otherwise the data itself. Prediction does
    /// this by itself; explanations take the conformed data, so that the maps and the series they show share one axis.
    /// </summary>
    public TimeSeriesDataset Conform(TimeSeriesDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return VariableLengths == VariableLengths.Resample && (data.Length != SeriesLength || !data.IsEqualLength)
            ? data.Resample(SeriesLength)
            : data;
    }

    /// <summary>
    /// A loader over <paramref name="data"/> prepared as the training data was (<see cref="Conform"/>, normalization,
    /// missing values); labels must be among <see cref="Classes"/>.
    /// </summary>
    public DataLoader CreateLoader(TimeSeriesDataset data, int batchSize = 64)
    {
        CheckChannels(data);
        return DataLoader.ForInference(Conform(data), Normalizer, MissingValues, Classes, batchSize);
    }

    /// <summary>Throws a <see cref="DatasetFormatException"/> naming <paramref name="data"/>'s file when its channels are not the model's.</summary>
    internal void CheckChannels(TimeSeriesDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Channels != Model.InputChannels)
        {
            var where = data.Sources.Count > 0 ? data.Sources[0] : data.Name;
            throw new DatasetFormatException(where, null,
                $"the model was trained on {Model.InputChannels}-channel series ({DatasetName}), this data has {data.Channels} {(data.Channels == 1 ? "channel" : "channels")}.");
        }
    }

    /// <summary>Class probabilities for every series of <paramref name="data"/>.</summary>
    public Predictions Predict(TimeSeriesDataset data, int batchSize = 64)
    {
        using var loader = CreateLoader(data, batchSize);
        return Predict(loader);
    }

    /// <summary>
    /// The number type <see cref="Predict(DataLoader)"/> computes in: <see cref="InferencePrecision.Float32"/> (the
    /// default) or <see cref="InferencePrecision.BFloat16"/>, faster where the processor has it. Explanations always
    /// compute in float32.
    /// </summary>
    public InferencePrecision Precision { get; set; } = InferencePrecision.Float32;

    /// <summary>
    /// Class probabilities for every series of <paramref name="loader"/>, in order (eval mode, no gradients, in
    /// <see cref="Precision"/>); for an ensemble the mean of its members' softmax probabilities, as the InceptionTime
    /// paper.
    /// </summary>
    public Predictions Predict(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        // Passes that fit the memory available, refused before any when one series cannot fit at all; a warning is the
        // caller's to show (ModelWarnings on the command line).
        var seriesPerPass = loader.Count > 0 ? MemoryBudget.FitPasses(PredictionMemory(loader)).SeriesPerPass : 1;
        var probabilities = new float[loader.Count * Classes.Count];
        using (new EvalMode(Members))
        using (new ConvolutionTypeScope(Members, Precision.ConvolutionType()))
        {
            using var noGrad = torch.no_grad();
            // Every series in the loader's own order, whatever its shuffle and last-batch rule (a training loader has
            // both): row i of the predictions is series i, as the targets are.
            var offset = 0;
            using var pause = CollectionPause.Begin(); // collections only between passes
            foreach (var indices in Enumerable.Range(0, loader.Count).Chunk(seriesPerPass))
            {
                pause.Renew(due: false);
                using var scope = torch.NewDisposeScope();
                using var batch = loader.GetBatch(indices);
                MeanProbabilities(batch.Inputs).cpu().data<float>().CopyTo(probabilities, offset);
                offset += indices.Length * Classes.Count;
            }
        }
        return new Predictions(Classes, probabilities, loader.Targets?.Select(t => (int)t).ToArray());
    }

    /// <summary>
    /// The memory <see cref="Predict(DataLoader)"/> will take for <paramref name="loader"/>: passes of its batch size, fewer
    /// series for long ones (<see cref="SeriesPerPass"/>), one member at a time.
    /// </summary>
    internal MemoryNeed PredictionMemory(DataLoader loader) =>
        PredictionMemory(loader.Dataset, Math.Min(loader.BatchSize, Math.Max(1, loader.Count)));

    /// <summary>The memory of forward passes of <paramref name="batch"/> series of <paramref name="data"/> (fewer for long ones), one member at a time.</summary>
    internal MemoryNeed PredictionMemory(TimeSeriesDataset data, int batch)
    {
        var length = data.Length;
        var network = Model.Options;
        return new MemoryNeed("predicting", MemoryNeed.SourceOf(data), length, SeriesPerPass.Bound(batch, length, Model),
            series => MemoryBudget.Estimate(MemoryPass.Prediction, series, length, network));
    }

    /// <summary>(B, K) softmax probabilities of prepared inputs, averaged over the members (call under no_grad, in eval mode).</summary>
    internal torch.Tensor MeanProbabilities(torch.Tensor inputs)
    {
        var sum = torch.nn.functional.softmax(Members[0].call(inputs), 1); // (B, K)
        for (var m = 1; m < Members.Count; m++)
            sum = sum + torch.nn.functional.softmax(Members[m].call(inputs), 1);
        return Members.Count == 1 ? sum : sum / Members.Count;
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file renamed into place), with a checksum.</summary>
    public void Save(string path)
    {
        ThrowIfDisposed();
        ModelFile.Write(this, path);
    }

    /// <summary>
    /// For writers of the weights (model file, state_dict, ONNX): a disposed network's state_dict is empty, and writing it
    /// would make a file without weights.
    /// </summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>
    /// Reads a model written by <see cref="Save"/>, streamed and checked field by field before anything is built; any
    /// problem is a <see cref="ModelFileException"/> that says what is wrong.
    /// </summary>
    public static TimeSeriesClassifier Load(string path) => ModelFile.Read(path);

    public void Dispose()
    {
        _disposed = true;
        foreach (var member in Members)
            member.Dispose();
    }
}
