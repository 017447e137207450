using System.Diagnostics;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Training;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>counterfactuals</c>: Native Guide counterfactuals per second, and the share found with the mean changed share.
/// Real data: <c>--model M --train F --test F [--queries N]</c> (every test series by default). Synthetic (the
/// reference's noisy sines, a model trained briefly on them first): <c>--n-train 3600 --length 500 --queries 200
/// [--fit-series 400 --fit-epochs 3 --fit-lr 1e-2]</c>. Both: <c>--distance euclidean|dtw|both</c> (both), <c>--band N</c>,
/// <c>--threshold 0.5</c>, <c>--threads 2</c>. The nearest-unlike-neighbour search is also timed on its own.
/// </summary>
internal static class CounterfactualBenchmark
{
    public static int Run(string[] arguments)
    {
        TorchRuntime.TuneAllocator();
        TorchRuntime.Threads = Int(arguments, "--threads", 2);
        TimeSeriesClassifier classifier;
        TimeSeriesDataset train, test;
        IDisposable? owner = null;
        if (Option(arguments, "--model") is { } modelPath)
        {
            classifier = TimeSeriesClassifier.Load(modelPath);
            train = DatasetReader.Read(Option(arguments, "--train") ?? throw new ArgumentException("--model needs --train"));
            test = DatasetReader.Read(Option(arguments, "--test") ?? throw new ArgumentException("--model needs --test"));
        }
        else
        {
            var length = Int(arguments, "--length", 500);
            train = SyntheticData.Create(Int(arguments, "--n-train", 3600), 1, length, 2, seed: 42);
            test = SyntheticData.Create(Int(arguments, "--queries", 200), 1, length, 2, seed: 43);
            var fitCount = Math.Min(train.Count, Int(arguments, "--fit-series", 400));
            var watch = Stopwatch.StartNew();
            var data = DataLoaders.FromDatasets(train.Subset([.. Enumerable.Range(0, fitCount)]), test, new DataLoadersOptions { BatchSize = 64 });
            var learner = Learner.Create(data, new LearnerOptions { Model = new InceptionTimeOptions(), BatchNormCalibration = BatchNormCalibration.Always });
            var fit = learner.FitOneCycle(Int(arguments, "--fit-epochs", 3), Double(arguments, "--fit-lr", 1e-2));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# fitted on {fitCount} synthetic series in {watch.Elapsed.TotalSeconds:0.0} s: valid accuracy {fit.Last!["accuracy"]:0.000}"));
            classifier = learner.Classifier;
            owner = new Owner(learner, data);
        }
        using (owner)
        {
            var queries = Math.Min(test.Count, Int(arguments, "--queries", test.Count));
            int[] items = [.. Enumerable.Range(0, queries)];
            var distances = (Option(arguments, "--distance") ?? "both") switch
            {
                "euclidean" => [SeriesDistance.Euclidean],
                "dtw" => [SeriesDistance.Dtw],
                _ => new[] { SeriesDistance.Euclidean, SeriesDistance.Dtw },
            };
            Console.WriteLine($"# {train.Name}: {train.Count} training series, {queries} queries, length {train.Length}, {TorchRuntime.Threads} threads");
            foreach (var distance in distances)
            {
                var options = new CounterfactualOptions
                {
                    Distance = distance,
                    Band = Option(arguments, "--band") is null ? null : Int(arguments, "--band", 0),
                    Threshold = Double(arguments, "--threshold", 0.5),
                };
                var searchSeconds = TimeSearch(classifier, train, test, items, options);
                var watch = Stopwatch.StartNew();
                var results = Counterfactuals.Explain(classifier, train, test, items, options);
                var seconds = watch.Elapsed.TotalSeconds;
                var found = results.Items.Where(c => c.Found).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT distance={distance} band={results.Band} seconds={seconds:0.00} counterfactuals_per_s={queries / seconds:0.0} " +
                    $"nun_search_s={searchSeconds:0.00} found={found.Count}/{queries} ({(double)found.Count / queries:0.000}) " +
                    $"mean_changed_share={(found.Count > 0 ? found.Average(c => c.ChangedShare) : double.NaN):0.000} " +
                    $"median_changed_share={(found.Count > 0 ? Median(found.Select(c => c.ChangedShare)) : double.NaN):0.000} " +
                    $"not_flipped={results.Items.Count(c => c.Outcome == CounterfactualOutcome.NotFlipped)} no_neighbour={results.Items.Count(c => c.Outcome == CounterfactualOutcome.NoNeighbour)}"));
            }
        }
        return 0;
    }

    /// <summary>The neighbour search alone: every query against the training series of the other label.</summary>
    private static double TimeSearch(TimeSeriesClassifier classifier, TimeSeriesDataset train, TimeSeriesDataset test, int[] items, CounterfactualOptions options)
    {
        var unscaled = Normalizer.FromStatistics(Normalization.None, [], []);
        var trainValues = unscaled.Prepare(train, classifier.MissingValues);
        var queries = test.Subset(items);
        var queryValues = unscaled.Prepare(queries, classifier.MissingValues);
        var byClass = Enumerable.Range(0, train.Classes.Count)
            .Select(k => (IReadOnlyList<int>)[.. Enumerable.Range(0, train.Count).Where(i => train.LabelIndices![i] != k)]).ToArray();
        var band = options.Band ?? (int)Math.Round(0.1 * train.Length, MidpointRounding.AwayFromZero);
        var watch = Stopwatch.StartNew();
        NearestUnlikeNeighbours.Find(queryValues, trainValues, train.Channels, train.Length,
            [.. Enumerable.Range(0, items.Length).Select(q => byClass[queries.LabelIndices![q]])], options.Distance, band, CancellationToken.None);
        return watch.Elapsed.TotalSeconds;
    }

    private sealed class Owner(Learner learner, DataLoaders data) : IDisposable
    {
        public void Dispose()
        {
            learner.Dispose();
            data.Dispose();
        }
    }
}
