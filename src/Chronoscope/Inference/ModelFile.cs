using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chronoscope.Data;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Inference;

/// <summary>
/// The model file: magic, format version (int32), for format 2 the number of networks (int32), header length (int64) +
/// UTF-8 JSON header (architecture, classes, normalization, missing values, training summary), then per network a weights length (int64) + TorchSharp
/// state dict, then SHA-256 of everything before it, so a truncated or damaged file is caught on load. Format 1 holds one
/// network; format 2, an ensemble (written only for ensembles, so a single model stays readable by older versions).
/// </summary>
internal static class ModelFile
{
    private static readonly byte[] Magic = "CHRONOSCOPE-MODEL\n"u8.ToArray();
    private const int SingleFormat = 1;
    private const int EnsembleFormat = 2;

    /// <summary>Writes <paramref name="classifier"/> to <paramref name="path"/> atomically (a temporary file renamed into place).</summary>
    public static void Write(TimeSeriesClassifier classifier, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (model, classes, normalizer) = (classifier.Model, classifier.Classes, classifier.Normalizer);
        var header = new ModelFileHeader
        {
            Variant = model.Options.Variant.ToString(),
            Depth = model.Options.Depth,
            Filters = model.Options.Filters,
            KernelSizes = [.. model.Options.KernelSizes],
            BottleneckSize = model.Options.BottleneckSize,
            InputChannels = model.InputChannels,
            SeriesLength = classifier.SeriesLength,
            Classes = [.. classes],
            Normalization = normalizer.Kind.ToString(),
            NormalizationOffsets = [.. normalizer.Offsets],
            NormalizationScales = [.. normalizer.Scales],
            MissingValues = classifier.MissingValues.ToString(),
            VariableLengths = classifier.VariableLengths.ToString(),
            DatasetName = classifier.DatasetName,
            CreatedUtc = DateTime.UtcNow,
            Training = classifier.Training,
        };

        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(classifier.IsEnsemble ? EnsembleFormat : SingleFormat);
            if (classifier.IsEnsemble)
                writer.Write(classifier.Members.Count);
            var json = JsonSerializer.SerializeToUtf8Bytes(header, HeaderJson);
            // Read refuses a longer header: better no file than one that cannot be loaded.
            if (json.Length > MaxHeaderLength)
                throw new ModelFileException(path, $"the model's header would take {json.Length:N0} bytes, over the {MaxHeaderLength:N0} a model file may hold: its {header.NormalizationOffsets.Length:N0} normalization values and {header.Classes.Length:N0} class names are too many to keep{(classifier.Normalizer.Kind == Normalization.MeanSeries ? "; with a mean series this long, choose another normalization" : "")}.");
            writer.Write((long)json.Length);
            writer.Write(json);
            foreach (var member in classifier.Members)
            {
                using var weights = new MemoryStream();
                member.save(weights); // closes the stream; ToArray still works
                var weightBytes = weights.ToArray();
                writer.Write((long)weightBytes.Length);
                writer.Write(weightBytes);
            }
        }
        var digest = SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length));

        AtomicFile.Write(path, file =>
        {
            file.Write(content.GetBuffer().AsSpan(0, (int)content.Length));
            file.Write(digest);
        });
    }

    /// <summary>
    /// Reads a model written by <see cref="Write"/>; any problem is a <see cref="ModelFileException"/> that says what is
    /// wrong. The file is streamed, never read whole: the magic and the header first (a file that is not a model is
    /// refused after its first bytes), then the checksum over the whole file, then every header field is checked against
    /// sane bounds (<see cref="NetworkLimits"/>) before the network is built and its weights read.
    /// </summary>
    public static TimeSeriesClassifier Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing)
            throw new ModelFileException(path, "no such file; train a model first and save it there.");
        if (kind != FileKind.Regular)
        {
            var hint = kind == FileKind.Directory ? $"; a run folder holds its model as model.chronoscope" : "";
            throw new ModelFileException(path, $"expected a model file, found {FileKinds.Describe(kind)}{hint}.");
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Load(path, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, $"cannot read: {IoErrors.Reason(e)}.", e);
        }
    }

    private static TimeSeriesClassifier Load(string path, FileStream file)
    {
        var length = file.Length;
        var head = new byte[Math.Min(Magic.Length, length)];
        file.ReadExactly(head);
        if (head.Length < Magic.Length || !head.AsSpan().SequenceEqual(Magic))
            throw new ModelFileException(path, $"not a Chronoscope model file (expected it to start with \"CHRONOSCOPE-MODEL\", found {Describe(head)}).");

        using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        var version = ReadOrFail(path, length, () => reader.ReadInt32());
        if (version is not (SingleFormat or EnsembleFormat))
            throw new ModelFileException(path, $"model file format {version}, this Chronoscope reads formats {SingleFormat} and {EnsembleFormat}; use the Chronoscope version that wrote it.");
        var members = version == SingleFormat ? 1 : ReadOrFail(path, length, () => reader.ReadInt32());
        if (members is < 1 or > NetworkLimits.MaxMembers || (version == EnsembleFormat && members < 2))
            throw new ModelFileException(path, $"corrupt: expected an ensemble of 2 to {NetworkLimits.MaxMembers} networks, found {members:N0}.");
        var headerLength = ReadOrFail(path, length, () => reader.ReadInt64());
        var headerStart = file.Position;
        if (headerLength is < 2 or > MaxHeaderLength)
            throw new ModelFileException(path, $"corrupt: expected a header of 2 to {MaxHeaderLength:N0} bytes, found a header length of {headerLength:N0}.");
        var headerBytes = reader.ReadBytes((int)Math.Min(headerLength, length - headerStart));

        // One weights section per member; their lengths are walked before the checksum, so a file cut short is named
        // as truncated.
        var sections = new (long Start, long Length)[members];
        var position = file.Position;
        for (var m = 0; m < members; m++)
        {
            if (position > length - 8)
                throw Truncated(path, position + 8, length);
            file.Position = position;
            var weightsLength = reader.ReadInt64();
            if (weightsLength < 0)
                throw new ModelFileException(path, $"corrupt: expected a weights length of 0 bytes or more, found {weightsLength:N0}.");
            var start = position + 8;
            if (weightsLength > long.MaxValue - start - SHA256.HashSizeInBytes)
                throw Truncated(path, long.MaxValue, length);
            sections[m] = (start, weightsLength);
            position = start + weightsLength;
        }
        var expectedLength = position + SHA256.HashSizeInBytes;
        if (expectedLength > length)
            throw Truncated(path, expectedLength, length);
        if (expectedLength != length)
            throw new ModelFileException(path, $"corrupt: the sections add up to {expectedLength} bytes but the file has {length}.");
        if (!ChecksumMatches(file, length))
            throw new ModelFileException(path, "corrupt: its checksum does not match its content (the file was changed or damaged after it was written).");

        ModelFileHeader header;
        try
        {
            header = JsonSerializer.Deserialize<ModelFileHeader>(headerBytes, HeaderJson) ?? throw new JsonException("empty header");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"corrupt header: {e.Message}", e);
        }
        var (options, normalization, missingValues, variableLengths) = Validate(path, header, members);

        var networks = new List<InceptionTime>();
        try
        {
            foreach (var (start, weightsLength) in sections)
            {
                var model = new InceptionTime(header.InputChannels, header.Classes.Length, options);
                networks.Add(model);
                file.Position = start;
                using var weights = new BoundedReadStream(file, weightsLength);
                model.load(weights, strict: true);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or NotImplementedException or OverflowException or FormatException)
        {
            networks.ForEach(n => n.Dispose());
            throw new ModelFileException(path, $"its weights do not fit the network it describes: {e.Message}", e);
        }
        foreach (var model in networks)
        {
            model.to(TorchRuntime.Device);
            model.eval();
        }
        var normalizer = Normalizer.FromStatistics(normalization, header.NormalizationOffsets, header.NormalizationScales);
        return new TimeSeriesClassifier(networks, header.Classes, normalizer, missingValues, header.SeriesLength, header.DatasetName)
        {
            Training = header.Training,
            VariableLengths = variableLengths,
        };
    }

    /// <summary>The longest header a model file may have: its JSON holds the class names and per-channel statistics.</summary>
    private const long MaxHeaderLength = 64L << 20;

    /// <summary>SHA-256 of everything but the last 32 bytes, streamed, against those bytes.</summary>
    private static bool ChecksumMatches(FileStream file, long length)
    {
        file.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var remaining = length - SHA256.HashSizeInBytes;
        while (remaining > 0)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
                return false;
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }
        var stored = new byte[SHA256.HashSizeInBytes];
        file.ReadExactly(stored);
        return hash.GetHashAndReset().AsSpan().SequenceEqual(stored);
    }

    /// <summary>Every header field checked against sane bounds; the first that fails is named in one line.</summary>
    private static (InceptionTimeOptions Options, Normalization Normalization, MissingValues MissingValues, VariableLengths VariableLengths) Validate(string path, ModelFileHeader header, int members)
    {
        void Check(bool ok, string field, string expected, object? found)
        {
            if (!ok)
                throw new ModelFileException(path, $"corrupt header: {field}: expected {expected}, found {found ?? "nothing"}.");
        }

        // JSON null reaches these non-nullable properties: read them as empty, which the checks refuse.
        var classes = header.Classes ?? [];
        var kernels = header.KernelSizes ?? [];
        Check(Enum.TryParse<InceptionTimeVariant>(header.Variant, out var variant) && Enum.IsDefined(variant) && !int.TryParse(header.Variant, out _),
            nameof(header.Variant), "one of " + string.Join(", ", Enum.GetNames<InceptionTimeVariant>()), header.Variant);
        Check(header.Depth is >= 1 and <= NetworkLimits.MaxDepth, nameof(header.Depth), $"1 to {NetworkLimits.MaxDepth}", header.Depth);
        Check(header.Filters is >= 1 and <= NetworkLimits.MaxFilters, nameof(header.Filters), $"1 to {NetworkLimits.MaxFilters}", header.Filters);
        Check(kernels is { Length: >= 1 and <= NetworkLimits.MaxKernels } && kernels.All(k => k is >= 1 and <= NetworkLimits.MaxKernelSize),
            nameof(header.KernelSizes), $"1 to {NetworkLimits.MaxKernels} sizes of 1 to {NetworkLimits.MaxKernelSize}", header.KernelSizes is null ? null : string.Join(",", header.KernelSizes));
        Check(header.BottleneckSize is >= 0 and <= NetworkLimits.MaxBottleneck, nameof(header.BottleneckSize), $"0 to {NetworkLimits.MaxBottleneck}", header.BottleneckSize);
        Check(header.InputChannels is >= 1 and <= NetworkLimits.MaxChannels, nameof(header.InputChannels), $"1 to {NetworkLimits.MaxChannels}", header.InputChannels);
        Check(header.SeriesLength is >= 1 and <= NetworkLimits.MaxSeriesLength, nameof(header.SeriesLength), $"1 to {NetworkLimits.MaxSeriesLength}", header.SeriesLength);
        Check(classes is { Length: >= 1 and <= NetworkLimits.MaxClasses }, nameof(header.Classes), $"1 to {NetworkLimits.MaxClasses} class names", header.Classes?.Length);
        Check(classes.All(c => c is not null), nameof(header.Classes), "names", "null");
        Check(classes.Distinct(StringComparer.Ordinal).Count() == classes.Length, nameof(header.Classes), "distinct names",
            classes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key is { } twice ? $"\"{twice}\" twice" : null);
        Check(Enum.TryParse<Normalization>(header.Normalization, out var normalization) && Enum.IsDefined(normalization) && !int.TryParse(header.Normalization, out _),
            nameof(header.Normalization), string.Join(", ", Enum.GetNames<Normalization>()), header.Normalization);
        var statistics = normalization is Normalization.PerChannel or Normalization.MinMax or Normalization.MeanSeries ? header.InputChannels : 0;
        var offsets = normalization == Normalization.MeanSeries ? (long)header.InputChannels * header.SeriesLength : statistics; // the mean series per channel
        Check(header.NormalizationOffsets?.Length == offsets && header.NormalizationOffsets.All(float.IsFinite),
            nameof(header.NormalizationOffsets), $"{offsets} finite values for {normalization}", header.NormalizationOffsets?.Length);
        // A scale of 0 is a constant training channel, which the normalizer centres and divides by 1.
        Check(header.NormalizationScales?.Length == statistics && header.NormalizationScales.All(v => float.IsFinite(v) && v >= 0),
            nameof(header.NormalizationScales), $"{statistics} finite non-negative values for {normalization}", header.NormalizationScales?.Length);
        Check(Enum.TryParse<MissingValues>(header.MissingValues, out var missing) && Enum.IsDefined(missing) && !int.TryParse(header.MissingValues, out _),
            nameof(header.MissingValues), string.Join(", ", Enum.GetNames<MissingValues>()), header.MissingValues);
        Check(Enum.TryParse<VariableLengths>(header.VariableLengths, out var lengths) && Enum.IsDefined(lengths) && !int.TryParse(header.VariableLengths, out _),
            nameof(header.VariableLengths), string.Join(", ", Enum.GetNames<VariableLengths>()), header.VariableLengths);
        Check(header.DatasetName is not null, nameof(header.DatasetName), "a name", null);

        var options = new InceptionTimeOptions
        {
            Variant = variant,
            Depth = header.Depth,
            Filters = header.Filters,
            KernelSizes = kernels,
            BottleneckSize = header.BottleneckSize,
        };
        var parameters = NetworkLimits.Parameters(header.InputChannels, classes.Length, options) * members;
        Check(parameters <= NetworkLimits.MaxParameters, "Depth, Filters, KernelSizes, BottleneckSize, InputChannels and Classes",
            $"a network of at most {NetworkLimits.MaxParameters:N0} parameters", $"about {parameters:N0}");
        return (options, normalization, missing, lengths);
    }

    // Named literals: a summary may hold NaN or infinity (a diverged loss), which plain JSON numbers cannot.
    private static readonly JsonSerializerOptions HeaderJson = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

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
        public string VariableLengths { get; init; } = nameof(Data.VariableLengths.Pad); // absent from files before it existed
        public string DatasetName { get; init; } = "";
        public DateTime CreatedUtc { get; init; }
        public TrainingSummary? Training { get; init; }
    }
}
