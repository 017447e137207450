using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Plotting;

namespace Chronoscope.Reports;

/// <summary>
/// One self-contained HTML page about a training run: the dataset, the settings, the epoch table, the loss and
/// schedule curves, the confusion matrix, each class's mean map with its spread, how faithful the maps are (perturbation
/// curves against a random control), the misclassified series with their maps and their counterfactuals toward the true
/// class, and a gallery of correctly classified series per class. Pictures are inline SVG; there are no scripts, fonts
/// or links outside the page, so it opens from a file anywhere, offline. The layout follows the screen: columns of
/// pictures on a laptop, one column on a phone, wide tables scrolling sideways.
/// <code>
/// var fit = learner.FitOneCycle(25, 1e-3);
/// var run = RunRecord.Create(learner, fit);
/// RunReportPage.Save("report.html", run, learner.Classifier, learner.Data.Valid,
///     new RunReportOptions { Training = learner.Data.Train.Dataset }); // the training series, for the counterfactuals
/// </code>
/// </summary>
/// <remarks>
/// The validation set is explained in batches of <see cref="RunReportOptions.BatchSize"/>: per-class statistics are
/// running sums, and only the few series shown keep their maps, so a set of any size fits in memory. Faithfulness is
/// measured on <see cref="RunReportOptions.FaithfulnessSeries"/> series and counterfactuals sought for
/// <see cref="RunReportOptions.MaxCounterfactuals"/>, so their cost does not grow with the set either. Every text from
/// outside (class names, file names, notes) is escaped.
/// </remarks>
public static partial class RunReportPage
{
    /// <summary>Section ids, in page order: the anchors of the page's table of contents.</summary>
    public static IReadOnlyList<string> SectionIds { get; } =
        ["dataset", "settings", "epochs", "curves", "confusion", "class-maps", "faithfulness", "misclassified", "counterfactuals", "gallery", "notes"];

    /// <summary>
    /// The page for <paramref name="run"/>, whose model is <paramref name="classifier"/>, explaining every series of
    /// <paramref name="validation"/> (prepared as the model's training data, e.g. <c>learner.Data.Valid</c> or
    /// <c>classifier.CreateLoader(testSet)</c>). <paramref name="progress"/> hears how many series have been explained;
    /// <paramref name="cancellationToken"/> is checked between batches.
    /// </summary>
    /// <exception cref="ArgumentException">The validation set is empty or does not fit the model, or an option is out of range.</exception>
    public static string Build(
        RunRecord run, TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions? options = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new RunReportOptions();
        if (options.Training is { } given)
        {
            // The training series as the model saw them: resampled, or, being of variable length, padded to its length
            // when its validation series were longer (the TEST file holds the longest series).
            var seen = classifier.Conform(given);
            options = options with { Training = seen.Length < classifier.SeriesLength && !seen.IsEqualLength ? seen.PaddedTo(classifier.SeriesLength) : seen };
        }
        Validate(classifier, validation, options);
        var names = options.ClassNames?.Resolve(classifier.Classes) ?? classifier.Classes;
        var findings = RunReportFindings.Compute(classifier, validation, options, progress, cancellationToken);
        return new PageWriter(run, classifier, validation, options, names, findings).Write();
    }

    /// <summary>Builds the page (see <see cref="Build"/>) and writes it to <paramref name="path"/> atomically, as UTF-8.</summary>
    public static void Save(
        string path, RunRecord run, TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions? options = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var html = Build(run, classifier, validation, options, progress, cancellationToken);
        AtomicFile.WriteAllText(path, html);
    }

    private static void Validate(TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions options)
    {
        if (validation.Count == 0)
            throw new ArgumentException("The validation set holds no series: there is nothing to explain.", nameof(validation));
        if (validation.Dataset.Channels != classifier.Model.InputChannels)
            throw new ArgumentException($"The validation series have {validation.Dataset.Channels} channel(s), the model takes {classifier.Model.InputChannels}: pass the model's own validation data.", nameof(validation));
        if (options.BatchSize < 1)
            throw new ArgumentException($"Expected a batch size of at least 1, found {options.BatchSize}.", nameof(options));
        if (options.GalleryPerClass < 0 || options.MaxMisclassified < 0 || options.MaxClasses < 0)
            throw new ArgumentException($"Expected counts of series and classes to show of at least 0, found gallery {options.GalleryPerClass}, misclassified {options.MaxMisclassified}, classes {options.MaxClasses}.", nameof(options));
        if (options.FaithfulnessSeries < 0 || options.MaxCounterfactuals < 0)
            throw new ArgumentException($"Expected counts of series to measure of at least 0, found faithfulness {options.FaithfulnessSeries}, counterfactuals {options.MaxCounterfactuals}.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.Faithfulness, nameof(options));
        if (options.Training is { } training && (training.Channels != classifier.Model.InputChannels || training.Length != classifier.SeriesLength || training.Labels is null))
        {
            throw new ArgumentException(
                $"The training series are {(training.Labels is null ? "unlabelled " : "")}{training.Channels}-channel series of length {training.Length}; the model takes labelled {classifier.Model.InputChannels}-channel series of length {classifier.SeriesLength}: pass the model's own training data.",
                nameof(options));
        }
        if (options.ThumbnailColors < 1)
            throw new ArgumentException($"Expected at least 1 colour per thumbnail line, found {options.ThumbnailColors}.", nameof(options));
        Colormap.Get(options.Colormap); // an unknown name fails here, before the validation set is explained
    }
}
