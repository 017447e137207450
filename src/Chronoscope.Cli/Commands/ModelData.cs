using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// How every command that applies a saved model reads its data files (predict, evaluate, cam, faithfulness,
/// counterfactual, report --data), by one rule. InceptionTime pools globally, so it runs on series of any length: a
/// file of another length than the model was trained on is read and used, with a warning naming the file, the model's
/// length and the lengths found (<see cref="ModelWarnings.Length"/>). Files pooled into one dataset (cam, faithfulness,
/// counterfactual, report) may differ in length: the shorter ones are padded to the longest, as the series of a
/// variable-length file are, and their warning says so. Only what cannot run is refused: files whose channels are not
/// the model's (here, before any warning), labels the model does not know, and methods that need series of one length
/// (a counterfactual's training data and queries, an occlusion window longer than the series; refused where they are
/// checked). A model trained on resampled series (<see cref="VariableLengths.Resample"/>) instead resamples every series
/// to its training length, pooled files after padding to the longest, and says so (<see cref="TimeSeriesClassifier.Conform"/>).
/// </summary>
internal static class ModelData
{
    /// <summary>One file, refused when its channels are not the model's, else with the length warning.</summary>
    public static TimeSeriesDataset Read(CliContext context, TimeSeriesClassifier classifier, string path, ReadOptions? options = null)
    {
        var data = DatasetReader.Read(path, options);
        classifier.CheckChannels(data);
        ModelWarnings.Length(context, classifier, data, path);
        return classifier.Conform(data);
    }

    /// <summary>
    /// The files read, each refused when its channels are not the model's, and pooled in order (one file is read as it
    /// is), shorter files padded to the longest, each with its length warning; and how many series each file holds (item indices run across the files).
    /// </summary>
    public static (TimeSeriesDataset Data, IReadOnlyList<int> Counts) ReadPooled(
        CliContext context, TimeSeriesClassifier classifier, IReadOnlyList<string> paths, ReadOptions? options = null)
    {
        var parts = paths.Select(path => DatasetReader.Read(path, options)).ToList();
        foreach (var part in parts)
            classifier.CheckChannels(part);
        var data = parts.Count == 1 ? parts[0] : TimeSeriesDataset.Concatenate(parts[0].Name, parts, options?.Padding ?? PaddingValue.Zero, mixedLengths: true);
        for (var f = 0; f < parts.Count; f++)
            ModelWarnings.Length(context, classifier, parts[f], paths[f], paddedTo: data.Length);
        return (classifier.Conform(data), [.. parts.Select(p => p.Count)]);
    }
}
