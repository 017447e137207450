using System.Diagnostics;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Training;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>accuracy</c>: test accuracy on the archive's official split of the datasets in <c>shared/data</c>, per seed, for one
/// training variant given by options, next to the published single-network figures. Each run trains on TRAIN and
/// validates on TEST only after the last epoch (nothing is selected on TEST).
/// Options: <c>--datasets A,B --seeds 1,2,3 --epochs N|auto --batch-size N|auto --lr X --optimizer ranger|radam|adamw|adam
/// --loss label-smoothing|cross-entropy --normalize none|per-sample|per-channel --threads 2 --data DIR --ensemble</c>
/// (<c>--ensemble</c> also prints the accuracy of the seeds' averaged probabilities per dataset).
/// </summary>
internal static class AccuracyBenchmark
{
    // Published single Inception network, mean of 5 runs (hfawaz/InceptionTime results-inception-128.csv; shared/data/README.md).
    private static readonly Dictionary<string, (double Single, double Ensemble, double Seconds)> Published = new()
    {
        ["GunPoint"] = (1.000, 1.000, 392),
        ["ECG200"] = (0.918, 0.930, 211),
        ["PhalangesOutlinesCorrect"] = (0.838, 0.850, 1074),
        ["CBF"] = (0.998, 0.999, 467),
        ["DiatomSizeReduction"] = (0.935, 0.935, 485),
        ["SonyAIBORobotSurface1"] = (0.864, 0.869, 384),
        ["MoteStrain"] = (0.886, 0.887, 466),
        ["ShapeletSim"] = (0.917, 0.956, 512),
        ["BasicMotions"] = (1.000, 1.000, double.NaN),
    };

    public static int Run(string[] arguments)
    {
        var root = Option(arguments, "--data") ?? FindSharedData();
        var datasets = (Option(arguments, "--datasets") ?? string.Join(',', Published.Keys)).Split(',');
        var seeds = (Option(arguments, "--seeds") ?? "1,2,3").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var epochsText = Option(arguments, "--epochs") ?? "25";
        var batchText = Option(arguments, "--batch-size") ?? "64";
        var learningRate = Double(arguments, "--lr", 1e-3);
        var optimizer = Enum.Parse<OptimizerKind>(Option(arguments, "--optimizer") ?? "ranger", ignoreCase: true);
        var loss = (Option(arguments, "--loss") ?? "label-smoothing") == "cross-entropy" ? LossKind.CrossEntropy : LossKind.LabelSmoothingCrossEntropy;
        var normalization = (Option(arguments, "--normalize") ?? "none") switch
        {
            "per-sample" => Normalization.PerSample,
            "per-channel" => Normalization.PerChannel,
            _ => Normalization.None,
        };
        var ensemble = Flag(arguments, "--ensemble");
        var steps = Int(arguments, "--steps", 1000);
        var batchDivisor = Int(arguments, "--batch-divisor", 4);
        var minimumBatch = Int(arguments, "--min-batch", 8);
        var weightDecay = Double(arguments, "--wd", 0.01);
        TorchRuntime.TuneAllocator();
        TorchRuntime.Threads = Int(arguments, "--threads", 2);
        Console.WriteLine($"# accuracy epochs={epochsText} steps={steps} batch={batchText} divisor={batchDivisor} min_batch={minimumBatch} lr={learningRate} optimizer={optimizer} wd={weightDecay} loss={loss} normalize={normalization} threads={TorchRuntime.Threads} seeds={string.Join(',', seeds)}");
        Console.WriteLine($"{"dataset",-26} {"seed",4} {"n",5} {"bs",4} {"epochs",6} {"steps",6} {"seconds",8} {"test_acc",8} {"train_loss",10}");

        var summary = new List<string>();
        foreach (var name in datasets)
        {
            var (trainPath, testPath) = Files(root, name);
            var train = DatasetReader.Read(trainPath);
            var test = DatasetReader.Read(testPath);
            var accuracies = new List<double>();
            var seconds = new List<double>();
            float[]? summed = null;
            int[]? targets = null;
            foreach (var seed in seeds)
            {
                var batchSize = batchText == "auto" ? Math.Clamp(train.Count / batchDivisor, minimumBatch, 64) : int.Parse(batchText, CultureInfo.InvariantCulture);
                var loaderOptions = new DataLoadersOptions { BatchSize = batchSize, ShuffleSeed = seed, Normalization = normalization };
                using var data = DataLoaders.FromDatasets(train, test, loaderOptions);
                var epochs = epochsText == "auto" ? Math.Max(1, (int)Math.Ceiling((double)steps / data.Train.BatchCount)) : int.Parse(epochsText, CultureInfo.InvariantCulture);
                var options = new LearnerOptions { Seed = seed, Optimizer = optimizer, Loss = loss, WeightDecay = weightDecay, ValidationInterval = epochs };
                using var learner = Learner.Create(data, options);
                var watch = Stopwatch.StartNew();
                var fit = learner.FitOneCycle(epochs, learningRate);
                var elapsed = watch.Elapsed.TotalSeconds;
                var accuracy = fit.Last!["accuracy"];
                accuracies.Add(accuracy);
                seconds.Add(elapsed);
                if (ensemble)
                {
                    var predictions = learner.Predict(data.Valid);
                    summed ??= new float[predictions.Probabilities.Length];
                    for (var i = 0; i < summed.Length; i++)
                        summed[i] += predictions.Probabilities[i];
                    targets = [.. predictions.Targets!];
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-26} {seed,4} {train.Count,5} {batchSize,4} {epochs,6} {learner.OptimizerSteps,6} {elapsed,8:F1} {accuracy,8:F4} {fit.Last.TrainLoss,10:F4}"));
            }
            var published = Published.TryGetValue(name, out var known) ? known : (Single: double.NaN, Ensemble: double.NaN, Seconds: double.NaN);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{name,-26} mean {accuracies.Average():F4} ± {StandardDeviation(accuracies):F4}  published {published.Single:F3}  {(accuracies.Average() >= published.Single - 1e-9 ? "≥" : "<")}  time {seconds.Average(),6:F1} s (published/10 {published.Seconds / 10:F0} s)");
            if (summed is not null)
                line += string.Create(CultureInfo.InvariantCulture, $"  ensemble {EnsembleAccuracy(summed, targets!):F4} (published {published.Ensemble:F3})");
            summary.Add(line);
            Console.WriteLine("# " + line);
        }
        Console.WriteLine("# summary");
        foreach (var line in summary)
            Console.WriteLine(line);
        return 0;
    }

    private static double EnsembleAccuracy(float[] summed, int[] targets)
    {
        var classes = summed.Length / targets.Length;
        var correct = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                if (summed[i * classes + k] > summed[i * classes + best])
                    best = k;
            }
            correct += best == targets[i] ? 1 : 0;
        }
        return (double)correct / targets.Length;
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static (string Train, string Test) Files(string root, string name)
    {
        foreach (var extension in (string[])[".tsv", ".ts", ".arff"])
        {
            var train = Path.Combine(root, name, $"{name}_TRAIN{extension}");
            if (File.Exists(train))
                return (train, Path.Combine(root, name, $"{name}_TEST{extension}"));
        }
        throw new FileNotFoundException($"no {name}_TRAIN file under {Path.Combine(root, name)}");
    }

    private static string FindSharedData()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "data");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("shared/data not found above the benchmark; give --data DIR");
    }
}
