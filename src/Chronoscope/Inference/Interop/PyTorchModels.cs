using System.Text.Json;
using Chronoscope.Data;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Inference.Interop;

/// <summary>
/// Models that cross to and from Python: <see cref="Import"/> makes a classifier from a PyTorch <c>state_dict</c>
/// (fastai's, tsai's InceptionTimePlus or the paper's InceptionTime), <see cref="Export"/> writes a classifier's
/// weights as a <c>state_dict</c> that the same Python network loads with <c>load_state_dict(strict=True)</c>.
/// Weights are copied bit for bit both ways.
/// </summary>
public static class PyTorchModels
{
    /// <summary>
    /// Reads the weights at <paramref name="path"/> (PyTorch zip or safetensors), infers the network from their shapes,
    /// checks every key and shape, and returns the classifier with its classes, normalization and series length from
    /// <paramref name="options"/> or the JSON beside the weights. Any problem is a <see cref="ModelInteropException"/>
    /// naming the file and the first key that does not fit.
    /// </summary>
    public static ImportedModel Import(string path, PyTorchImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new PyTorchImportOptions();
        var metadataPath = options.MetadataPath ?? ModelMetadata.PathBeside(path);
        if (options.MetadataPath is not null && FileKinds.Of(metadataPath) == FileKind.Missing)
            throw new ModelInteropException(metadataPath, "no such metadata file."); // a folder or device: ReadIfPresent names it
        var metadata = ModelMetadata.ReadIfPresent(metadataPath);
        var warnings = new List<string>();
        var architecture = options.Architecture;
        var architectureName = StateDictLayout.NameOf(architecture);
        if (metadata?.Architecture is { } declared && !declared.Equals(architectureName, StringComparison.OrdinalIgnoreCase))
            warnings.Add($"{metadataPath} says the weights are {declared}, they are read as {architectureName}.");

        InceptionTime model;
        using (var scope = torch.NewDisposeScope()) // the file's tensors, freed once copied into the model
        {
            var tensors = StateDictFile.Read(path);
            var (shape, channels, classes) = StateDictLayout.Infer(architecture, tensors, path);
            if (options.Channels is { } wantedChannels && wantedChannels != channels)
                throw new ModelInteropException(path, $"the weights are for {channels}-channel series ('{Describe(architecture, tensors, shape.Depth, "channels")}'), not {wantedChannels}.");
            if (options.ClassCount is { } wantedClasses && wantedClasses != classes)
                throw new ModelInteropException(path, $"the weights output {classes} classes ('{Describe(architecture, tensors, shape.Depth, "classes")}'), not {wantedClasses}.");
            model = BuildAndLoad(path, architecture, shape, channels, classes, tensors); // disposes its model when it throws
        }

        try
        {
            var classNames = ClassNames(options, metadata, model.ClassCount, path, metadataPath, warnings);
            var normalizer = options.Normalizer ?? NormalizerOf(metadata, metadataPath, warnings);
            if (normalizer.Scales.Count > 0 && normalizer.Scales.Count != model.InputChannels)
                throw new ModelInteropException(metadataPath, $"normalization statistics for {normalizer.Scales.Count} channels, the weights take {model.InputChannels}.");
            var seriesLength = options.SeriesLength ?? metadata?.SeriesLength
                ?? throw new ModelInteropException(path, $"the series length is unknown: give it in the import options or as \"seriesLength\" in {metadataPath}.");
            if (seriesLength is < 1 or > NetworkLimits.MaxSeriesLength)
                throw options.SeriesLength is not null
                    ? new ArgumentOutOfRangeException(nameof(options), seriesLength, FormattableString.Invariant($"PyTorchImportOptions.SeriesLength: expected 1 to {NetworkLimits.MaxSeriesLength:N0} steps"))
                    : new ModelInteropException(metadataPath, FormattableString.Invariant($"\"seriesLength\": expected 1 to {NetworkLimits.MaxSeriesLength:N0} steps, found {seriesLength}."));
            if (options.MissingValues is { } given && !Enum.IsDefined(given))
                throw new ArgumentOutOfRangeException(nameof(options), given, $"PyTorchImportOptions.MissingValues: expected one of {string.Join(", ", Enum.GetNames<MissingValues>())}");
            if (normalizer.Kind == Normalization.MeanSeries && normalizer.Steps != seriesLength)
                throw new ModelInteropException(metadataPath, $"a mean series of {normalizer.Steps} steps for series of {seriesLength}: it should have their length (\"seriesLength\": {normalizer.Steps}, or {seriesLength} offsets per channel).");
            var missing = options.MissingValues
                ?? (metadata?.MissingValues is { } m ? ParseEnum<MissingValues>(m, metadataPath, "missingValues") : MissingValues.Interpolate);
            var lengths = metadata?.VariableLengths is { } v ? ParseEnum<VariableLengths>(v, metadataPath, "variableLengths") : VariableLengths.Pad;
            var dataset = options.DatasetName ?? metadata?.Dataset ?? Path.GetFileNameWithoutExtension(path);
            model.to(TorchRuntime.Device);
            model.eval();
            return new ImportedModel(new TimeSeriesClassifier(model, classNames, normalizer, missing, seriesLength, dataset) { VariableLengths = lengths }, warnings);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="classifier"/>'s weights to <paramref name="path"/> in <paramref name="format"/>, keyed as
    /// its Python twin names them (fastai's layout for the fastai variant, the paper's for the paper variant, tsai's for
    /// tsai's), and the JSON of classes, normalization and architecture beside them. Both files are written whole or
    /// not at all.
    /// </summary>
    public static ExportedFiles Export(TimeSeriesClassifier classifier, string path, WeightFormat format = WeightFormat.PyTorch)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), format, $"expected one of {string.Join(", ", Enum.GetNames<WeightFormat>())}");
        classifier.ThrowIfDisposed();
        if (classifier.IsEnsemble)
            throw new ArgumentException($"the classifier is an ensemble of {classifier.Members.Count} networks, and a PyTorch state_dict holds one: export its members one by one (TimeSeriesClassifier.Member).", nameof(classifier));
        var metadataPath = ModelMetadata.PathBeside(path);
        if (Path.GetFullPath(metadataPath) == Path.GetFullPath(path))
            throw new ModelInteropException(path, "the weights cannot be written to a .json file: the metadata goes there.");
        // Both places are checked before either is written, so that one refused leaves no half of the pair.
        AtomicFile.CheckWritable(path);
        AtomicFile.CheckWritable(metadataPath);

        var model = classifier.Model;
        var layout = StateDictLayout.ForModel(model);
        byte[] weights;
        using (var scope = torch.NewDisposeScope())
        {
            var foreign = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
            foreach (var (name, tensor) in model.state_dict())
                foreign[layout.ForeignName(name)] = tensor.detach().cpu().contiguous();
            weights = StateDictFile.Write(foreign, format);
        }

        var options = model.Options;
        var metadata = new ModelMetadata
        {
            Format = ModelMetadata.CurrentFormat,
            Architecture = StateDictLayout.NameOf(layout.Architecture),
            Network = new ModelMetadata.NetworkShape
            {
                Variant = options.Variant.ToString(),
                Depth = options.Depth,
                Filters = options.Filters,
                KernelSizes = [.. options.KernelSizes],
                BottleneckSize = options.BottleneckSize,
            },
            InputChannels = model.InputChannels,
            SeriesLength = classifier.SeriesLength,
            Classes = [.. classifier.Classes],
            Normalization = new ModelMetadata.NormalizationStatistics
            {
                Kind = classifier.Normalizer.Kind.ToString(),
                Offsets = [.. classifier.Normalizer.Offsets],
                Scales = [.. classifier.Normalizer.Scales],
            },
            MissingValues = classifier.MissingValues.ToString(),
            VariableLengths = classifier.VariableLengths.ToString(),
            Dataset = classifier.DatasetName,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(metadata, ModelMetadata.Json);
        AtomicFile.WriteAllBytes(path, weights);
        AtomicFile.WriteAllBytes(metadataPath, json);
        return new ExportedFiles(path, metadataPath);
    }

    private static InceptionTime BuildAndLoad(string path, PyTorchArchitecture architecture, InceptionTimeOptions shape, int channels, int classes,
        Dictionary<string, torch.Tensor> tensors)
    {
        InceptionTime model;
        try
        {
            model = new InceptionTime(channels, classes, shape);
        }
        catch (ArgumentException e)
        {
            throw new ModelInteropException(path, $"the weights describe no InceptionTime ({e.Message}).", e);
        }
        try
        {
            var layout = StateDictLayout.ForModel(model);
            var own = model.state_dict();
            var source = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, target) in own)
            {
                var key = layout.ForeignName(name);
                if (!tensors.TryGetValue(key, out var tensor))
                    throw new ModelInteropException(path, $"missing key '{key}' (shape {StateDictLayout.Shape(target)}) of a {StateDictLayout.NameOf(architecture)} InceptionTime with {channels} channels and {classes} classes.");
                if (!tensor.shape.SequenceEqual(target.shape))
                    throw new ModelInteropException(path, $"key '{key}' has shape {StateDictLayout.Shape(tensor)}, a {StateDictLayout.NameOf(architecture)} InceptionTime with {channels} channels and {classes} classes needs {StateDictLayout.Shape(target)}.");
                if (tensor.dtype != target.dtype)
                {
                    if (!torch.is_floating_point(tensor) || !torch.is_floating_point(target))
                        throw new ModelInteropException(path, $"key '{key}' holds {tensor.dtype} values, expected {target.dtype}.");
                    tensor = tensor.to(target.dtype);
                }
                if (torch.is_floating_point(tensor) && (~torch.isfinite(tensor)).sum().item<long>() is var nonFinite and > 0)
                    throw new ModelInteropException(path, $"key '{key}' holds {nonFinite} values that are NaN or infinite: the network would predict NaN (weights saved after training diverged?).");
                if (name.EndsWith("running_var", StringComparison.Ordinal) && (tensor < 0).sum().item<long>() is var negative and > 0)
                    throw new ModelInteropException(path, $"key '{key}' holds {negative} negative variances, whose square roots BatchNorm cannot take: the file is damaged.");
                source[name] = tensor;
                used.Add(key);
            }
            if (tensors.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).FirstOrDefault() is { } extra)
                throw new ModelInteropException(path, $"unexpected key '{extra}' (shape {StateDictLayout.Shape(tensors[extra])}): not part of a {StateDictLayout.NameOf(architecture)} InceptionTime of depth {shape.Depth}; is the architecture right?");
            using (torch.no_grad())
            {
                foreach (var (name, target) in own)
                    target.copy_(source[name]);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string Describe(PyTorchArchitecture architecture, Dictionary<string, torch.Tensor> tensors, int depth, string what)
    {
        var key = (architecture, what) switch
        {
            (PyTorchArchitecture.Fastai, "channels") => "0.layers.0.maxpool_bottleneck.1.weight",
            (PyTorchArchitecture.Tsai, "channels") => "backbone.0.inception.0.mp_conv.1.0.weight",
            (_, "channels") => "inception.0.maxconvpool.1.weight",
            (PyTorchArchitecture.Fastai, _) => $"{depth + 2}.weight",
            (PyTorchArchitecture.Tsai, _) => "head.0.1.0.weight",
            _ => "fc.weight",
        };
        return tensors.TryGetValue(key, out var t) ? $"{key}: {StateDictLayout.Shape(t)}" : key;
    }

    private static string[] ClassNames(PyTorchImportOptions options, ModelMetadata? metadata, int count, string path, string metadataPath, List<string> warnings)
    {
        if (options.ClassNames is { } given)
        {
            if (given.Count != count)
                throw new ModelInteropException(path, $"{given.Count} class names given ({string.Join(", ", given.Select(n => $"'{n}'"))}), the weights output {count} classes.");
            return CheckedNames([.. given], path, "the class names given");
        }
        if (metadata?.Classes is { } listed)
        {
            if (listed.Length != count)
                throw new ModelInteropException(metadataPath, $"\"classes\" lists {listed.Length} names, the weights output {count} classes.");
            return CheckedNames(listed, metadataPath, "\"classes\"");
        }
        warnings.Add($"no class names (none given, none in {metadataPath}): the classes are called 0..{count - 1}, in output order.");
        return [.. Enumerable.Range(0, count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Names that tell the outputs apart: none empty, none twice (as a model file requires of its classes).</summary>
    private static string[] CheckedNames(string[] names, string path, string what)
    {
        if (Array.FindIndex(names, string.IsNullOrWhiteSpace) is var empty and >= 0)
            throw new ModelInteropException(path, $"{what}: name {empty + 1} of {names.Length} is empty; each output needs a name.");
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ModelInteropException(path, $"{what}: '{twice.Key}' names two outputs; each output needs its own name.");
        return names;
    }

    private static Normalizer NormalizerOf(ModelMetadata? metadata, string metadataPath, List<string> warnings)
    {
        if (metadata?.Normalization is not { } n)
        {
            warnings.Add($"no normalization statistics (none given, none in {metadataPath}): series go into the network as read; if it was trained on scaled inputs, its predictions and maps are wrong.");
            return Normalizer.FromStatistics(Normalization.None, [], []);
        }
        var kind = ParseEnum<Normalization>(n.Kind, metadataPath, "normalization.kind");
        try
        {
            return Normalizer.FromStatistics(kind, n.Offsets, n.Scales);
        }
        catch (ArgumentException e)
        {
            throw new ModelInteropException(metadataPath, $"\"normalization\": {e.Message}.", e);
        }
    }

    private static T ParseEnum<T>(string text, string path, string field) where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ModelInteropException(path, $"\"{field}\": '{text}' is none of {string.Join(", ", Enum.GetNames<T>())}.");
}
