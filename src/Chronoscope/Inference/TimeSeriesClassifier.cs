using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Chronoscope.Data.Formats;
using Chronoscope.Data;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Inference;

/// <summary>
/// A trained network with everything it needs to classify new series: the class vocabulary, the normalization fitted
/// on its training data and the missing-value policy. Saves to and loads from one file.
/// </summary>
public sealed class TimeSeriesClassifier : IDisposable
{
    // File layout: magic, format version (int32), header length (int64) + UTF-8 JSON header, weights length (int64) +
    // TorchSharp state dict, then SHA-256 of everything before it (a truncated or damaged file is caught on load).
    private static readonly byte[] Magic = "CHRONOSCOPE-MODEL\n"u8.ToArray();
    private const int FormatVersion = 1;

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
        ArgumentNullException.ThrowIfNull(data);
        if (data.Channels != Model.InputChannels)
        {
            var where = data.Sources.Count > 0 ? data.Sources[0] : data.Name;
            throw new DatasetFormatException(where, null,
                $"the model was trained on {Model.InputChannels}-channel series ({DatasetName}), this data has {data.Channels} channels.");
        }
        return DataLoader.ForInference(data, Normalizer, MissingValues, Classes, batchSize);
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

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file renamed into place).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var header = new ModelFileHeader
        {
            Variant = Model.Options.Variant.ToString(),
            Depth = Model.Options.Depth,
            Filters = Model.Options.Filters,
            KernelSizes = [.. Model.Options.KernelSizes],
            BottleneckSize = Model.Options.BottleneckSize,
            InputChannels = Model.InputChannels,
            SeriesLength = SeriesLength,
            Classes = [.. Classes],
            Normalization = Normalizer.Kind.ToString(),
            NormalizationOffsets = [.. Normalizer.Offsets],
            NormalizationScales = [.. Normalizer.Scales],
            MissingValues = MissingValues.ToString(),
            DatasetName = DatasetName,
            CreatedUtc = DateTime.UtcNow,
            Training = Training,
        };

        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            var json = JsonSerializer.SerializeToUtf8Bytes(header, HeaderJson);
            writer.Write((long)json.Length);
            writer.Write(json);
            using var weights = new MemoryStream();
            Model.save(weights); // closes the stream; ToArray still works
            var weightBytes = weights.ToArray();
            writer.Write((long)weightBytes.Length);
            writer.Write(weightBytes);
        }
        var digest = SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length));

        AtomicFile.Write(path, file =>
        {
            file.Write(content.GetBuffer().AsSpan(0, (int)content.Length));
            file.Write(digest);
        });
    }

    /// <summary>Reads a model written by <see cref="Save"/>; any problem is a <see cref="ModelFileException"/> that says what is wrong.</summary>
    public static TimeSeriesClassifier Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new ModelFileException(path, "no such file; train a model first (chronoscope train ... --out <file>).");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFileException(path, $"not a Chronoscope model file (expected it to start with \"CHRONOSCOPE-MODEL\", found {Describe(bytes)}).");

        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        reader.BaseStream.Position = Magic.Length;
        var version = ReadOrFail(path, bytes.Length, () => reader.ReadInt32());
        if (version != FormatVersion)
            throw new ModelFileException(path, $"model file format {version}, this Chronoscope reads format {FormatVersion}; use the Chronoscope version that wrote it.");
        var headerLength = ReadOrFail(path, bytes.Length, () => reader.ReadInt64());
        var headerStart = reader.BaseStream.Position;
        var weightsLengthAt = headerStart + headerLength;
        if (headerLength < 0 || weightsLengthAt + 8 > bytes.Length)
            throw Truncated(path, weightsLengthAt + 8, bytes.Length);
        reader.BaseStream.Position = weightsLengthAt;
        var weightsLength = reader.ReadInt64();
        var expectedLength = weightsLengthAt + 8 + weightsLength + SHA256.HashSizeInBytes;
        if (weightsLength < 0 || expectedLength != bytes.Length)
        {
            if (weightsLength >= 0 && expectedLength > bytes.Length)
                throw Truncated(path, expectedLength, bytes.Length);
            throw new ModelFileException(path, $"corrupt: the sections add up to {expectedLength} bytes but the file has {bytes.Length}.");
        }
        var digestAt = bytes.Length - SHA256.HashSizeInBytes;
        if (!SHA256.HashData(bytes.AsSpan(0, digestAt)).AsSpan().SequenceEqual(bytes.AsSpan(digestAt)))
            throw new ModelFileException(path, "corrupt: its checksum does not match its content (the file was changed or damaged after it was written).");

        ModelFileHeader header;
        try
        {
            header = JsonSerializer.Deserialize<ModelFileHeader>(bytes.AsSpan((int)headerStart, (int)headerLength), HeaderJson)
                ?? throw new JsonException("empty header");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"corrupt header: {e.Message}", e);
        }

        var options = new InceptionTimeOptions
        {
            Variant = Enum.Parse<InceptionTimeVariant>(header.Variant),
            Depth = header.Depth,
            Filters = header.Filters,
            KernelSizes = header.KernelSizes,
            BottleneckSize = header.BottleneckSize,
        };
        var model = new InceptionTime(header.InputChannels, header.Classes.Length, options);
        try
        {
            using var weights = new MemoryStream(bytes, (int)weightsLengthAt + 8, (int)weightsLength, writable: false);
            model.load(weights, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or NotImplementedException)
        {
            model.Dispose();
            throw new ModelFileException(path, $"its weights do not fit the network it describes: {e.Message}", e);
        }
        model.to(TorchRuntime.Device);
        model.eval();
        var normalizer = Normalizer.FromStatistics(Enum.Parse<Normalization>(header.Normalization), header.NormalizationOffsets, header.NormalizationScales);
        return new TimeSeriesClassifier(model, header.Classes, normalizer, Enum.Parse<MissingValues>(header.MissingValues), header.SeriesLength, header.DatasetName)
        {
            Training = header.Training,
        };
    }

    public void Dispose() => Model.Dispose();

    private static readonly JsonSerializerOptions HeaderJson = new() { WriteIndented = true };

    private static T ReadOrFail<T>(string path, long length, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException)
        {
            throw new ModelFileException(path, $"truncated: the file ends after {length} bytes, inside its header.");
        }
    }

    private static ModelFileException Truncated(string path, long expected, long found) =>
        new(path, $"truncated: expected at least {expected} bytes, found {found} (an interrupted copy or download?).");

    private static string Describe(byte[] bytes)
    {
        if (bytes.Length == 0)
            return "an empty file";
        var head = bytes.AsSpan(0, Math.Min(16, bytes.Length)).ToArray();
        return head.All(b => b is >= 32 and < 127 or 9 or 10 or 13)
            ? $"\"{Encoding.ASCII.GetString(head).ReplaceLineEndings(" ")}\""
            : Convert.ToHexString(head);
    }

    private sealed record ModelFileHeader
    {
        public string Variant { get; init; } = "";
        public int Depth { get; init; }
        public int Filters { get; init; }
        public int[] KernelSizes { get; init; } = [];
        public int BottleneckSize { get; init; }
        public int InputChannels { get; init; }
        public int SeriesLength { get; init; }
        public string[] Classes { get; init; } = [];
        public string Normalization { get; init; } = "";
        public float[] NormalizationOffsets { get; init; } = [];
        public float[] NormalizationScales { get; init; } = [];
        public string MissingValues { get; init; } = "";
        public string DatasetName { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
        public TrainingSummary? Training { get; init; }
    }
}
