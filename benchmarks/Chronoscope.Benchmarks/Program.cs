using Chronoscope.Benchmarks;

// Chronoscope's benchmarks, run by hand: `dotnet run -c Release --project benchmarks/Chronoscope.Benchmarks -- <name> [options]`.
// Each benchmark is a class with a Run(string[] arguments) method returning an exit code; add new ones here.
var benchmarks = new (string Name, string Description, Func<string[], int> Run)[]
{
    ("read", "dataset readers: MB/s and series/s on ~100 MB ARFF and .ts files, memory per read", ReadBenchmark.Run),
    ("train", "InceptionTime one-cycle training, inference and Grad-CAM throughput, side by side with shared/peers/pytorch_inception.py", TrainBenchmark.Run),
    ("compare", "train, then shared/peers/pytorch_inception.py with the same arguments; the results side by side with the ratio", CompareBenchmark.Run),
    ("accuracy", "test accuracy on the official split of shared/data's datasets per seed for one training variant, next to the published figures", AccuracyBenchmark.Run),
    ("counterfactuals", "Native Guide counterfactuals per second (Euclidean and DTW neighbours), share found, mean changed share", CounterfactualBenchmark.Run),
    ("inference", "Predict and Grad-CAM series/s per length and batch size, BatchNorm folded into the convolutions and not", InferenceBenchmark.Run),
    ("precision", "one conv1d forward+backward at InceptionTime's shapes, float32 against bfloat16", PrecisionBenchmark.Run),
    ("attributions", "series/s of every map method (CAM family and input attributions), batch 64, at L = 150 and 500", AttributionsBenchmark.Run),
    ("gradients", "one branch convolution's input and weight gradients: libtorch's backward pass against Chronoscope's gradient convolutions", GradientsBenchmark.Run),
    ("read-memory", "(used by read) peak resident memory of reading one file in a fresh process", ReadBenchmark.RunMemory),
};

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Chronoscope.Benchmarks <benchmark> [options]");
    foreach (var (name, description, _) in benchmarks)
        Console.WriteLine($"  {name,-12} {description}");
    return args.Length == 0 ? 1 : 0;
}

// As the command line's training commands do: glibc's heap on huge pages, methods compiled optimized from the start
// (see TorchRuntime.RestartWithHugePages).
Chronoscope.TorchRuntime.RestartWithHugePages(compileOptimized: true);
foreach (var (name, _, run) in benchmarks)
{
    if (name == args[0])
        return run(args[1..]);
}
Console.Error.WriteLine($"unknown benchmark \"{args[0]}\"; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
return 1;
