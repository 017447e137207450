using System.Diagnostics;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Training;
using TorchSharp;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>train</c>: the C# side of <c>shared/peers/pytorch_inception.py</c>: same network, recipe, data and threads, same
/// output lines (header, epoch table with timings, <c>RESULT</c>, <c>GRADCAM</c>), so both can be run side by side.
/// Data: <c>--train F --test F [--split pooled|official]</c>, or the reference's synthetic generator
/// (<c>--n-train 50 --n-valid 150 --length 150 [--channels 1] [--classes 2]</c>, bit-identical inputs).
/// Options: <c>--epochs 25 --lr 1e-3 --batch-size 64 --threads 2 --seed 42 --min-time 2 --gradcam-batch 64
/// --calibration auto|always|never --precision fp32|bf16|auto --predict-precision fp32|bf16 --no-explicit-padding --no-gradient-convolution --no-malloc-tune --no-fold --no-spectral</c> (<c>--no-spectral</c>: the branches by direct convolutions, <see cref="InceptionTime.SpectralBranches"/>; <c>--no-fold</c>: BatchNorm not folded
/// into the convolutions for validation and inference; <c>--no-gradient-convolution</c>: libtorch's backward pass for
/// every branch, <see cref="InceptionTimeOptions.GradientConvolutionFromKernelSize"/> and <see cref="InceptionTimeOptions.MixedGradientConvolutionFromKernelSize"/>). Huge pages: the benchmarks restart
/// themselves as the command line does; <c>GLIBC_TUNABLES=glibc.malloc.hugetlb=0</c> declines it. Memory: <c>--memory-trace</c> prints where resident memory is
/// (<see cref="MemoryProbe"/>) after each training and validation phase, <c>--arena-max N</c> limits glibc's malloc
/// arenas, <c>--trim-each-epoch</c> calls <c>malloc_trim(0)</c> after each epoch (a diagnosis: what it frees was free
/// inside glibc's heap).
/// </summary>
internal static class TrainBenchmark
{
    public static int Run(string[] arguments)
    {
        var epochs = Int(arguments, "--epochs", 25);
        var learningRate = Double(arguments, "--lr", 1e-3);
        var batchSize = Int(arguments, "--batch-size", 64);
        var seed = Int(arguments, "--seed", 42);
        var minimumSeconds = Double(arguments, "--min-time", 2);
        var gradCamBatch = Int(arguments, "--gradcam-batch", 64);
        var mallocTuned = !Flag(arguments, "--no-malloc-tune") && TorchRuntime.TuneAllocator();
        if (Option(arguments, "--arena-max") is not null && !MemoryProbe.LimitArenas(Int(arguments, "--arena-max", 0)))
            throw new ArgumentException("--arena-max: mallopt(M_ARENA_MAX) failed");
        TorchRuntime.Threads = Int(arguments, "--threads", 2);
        var calibration = Enum.Parse<BatchNormCalibration>(Option(arguments, "--calibration") ?? "auto", ignoreCase: true);
        var precision = Precision(arguments);
        var predictPrecision = PredictionPrecision(arguments, "--predict-precision"); // the inference row's
        var modelOptions = new InceptionTimeOptions();
        if (Flag(arguments, "--no-explicit-padding"))
            modelOptions = modelOptions with { ExplicitPaddingFromKernelSize = int.MaxValue };
        if (Flag(arguments, "--no-gradient-convolution"))
            modelOptions = modelOptions with { GradientConvolutionFromKernelSize = int.MaxValue, MixedGradientConvolutionFromKernelSize = int.MaxValue };

        var dataOptions = new DataLoadersOptions { BatchSize = batchSize, ShuffleSeed = seed };
        string split;
        DataLoaders data;
        if (Option(arguments, "--train") is { } train)
        {
            var test = Option(arguments, "--test") ?? throw new ArgumentException("--train needs --test");
            split = Option(arguments, "--split") ?? "pooled";
            data = split == "pooled" ? DataLoaders.FromFiles([train, test], dataOptions) : DataLoaders.FromTrainTest(train, test, dataOptions);
        }
        else
        {
            var (channels, length, classes) = (Int(arguments, "--channels", 1), Int(arguments, "--length", 150), Int(arguments, "--classes", 2));
            split = "synthetic";
            data = DataLoaders.FromDatasets(
                SyntheticData.Create(Int(arguments, "--n-train", 50), channels, length, classes, seed),
                SyntheticData.Create(Int(arguments, "--n-valid", 150), channels, length, classes, seed + 1),
                dataOptions);
        }

        using (data)
        using (var learner = Learner.Create(data, LearnerOptions.Reference with { Seed = seed, Model = modelOptions, BatchNormCalibration = calibration, Precision = precision }))
        {
            learner.Model.FoldsBatchNorm = !Flag(arguments, "--no-fold");
            learner.Model.SpectralBranches = !Flag(arguments, "--no-spectral");
            var n = learner.Model.ParameterCount;
            Console.WriteLine($"# arch=seed params={n.ToString("N0", CultureInfo.InvariantCulture)} ({n}) c_in={data.Channels} c_out={data.Classes.Count}");
            Console.WriteLine($"# impl=torchsharp torchsharp={typeof(torch).Assembly.GetName().Version} dotnet={Environment.Version} threads={TorchRuntime.Threads} malloc_tune={mallocTuned} block_cache={TensorBlockCache.Installed} huge_pages={TorchRuntime.HugePages} explicit_padding={modelOptions.ExplicitPaddingFromKernelSize < int.MaxValue} gradient_convolution_from={(modelOptions.GradientConvolutionFrom < int.MaxValue ? modelOptions.GradientConvolutionFrom : "none")} mixed_gradient_convolution_from={(modelOptions.MixedGradientConvolutionFrom < int.MaxValue ? modelOptions.MixedGradientConvolutionFrom : "none")} calibration={calibration} precision={learner.Precision} predict_precision={predictPrecision}");
            Console.WriteLine($"# data={split} n_train={data.Train.Count} n_valid={data.Valid.Count} channels={data.Channels} length={data.Length} classes={data.Classes.Count} batch_size={batchSize} seed={seed} x_checksum={Checksum(data.Train.Dataset):F6} labels={string.Join(",", data.Classes)}");
            Console.WriteLine($"# opt=ranger loss=ls lr_max={learningRate} wd=0.01 one_cycle(div=25, div_final=1e5, pct_start=0.25, moms=0.95-0.85-0.95) steps_per_epoch={data.Train.BatchCount}");
            Console.WriteLine($"{"epoch",-6} {"train_loss",-11} {"valid_loss",-11} {"accuracy",-9} {"time",-6} | {"epoch_s",-8} {"train_phase_s",-14} {"valid_phase_s",-14} rss_mb");
            var timer = new PhaseTimer(Flag(arguments, "--memory-trace"), Flag(arguments, "--trim-each-epoch"));
            var total = Stopwatch.StartNew();
            var fit = learner.FitOneCycle(epochs, learningRate, callbacks: [timer]);
            var trainSeconds = total.Elapsed.TotalSeconds;
            foreach (var note in fit.Notes)
                Console.WriteLine($"# note: {note}");

            var inferencePerSecond = InferenceThroughput(learner, minimumSeconds, predictPrecision);
            var (gradCamPerSecond, reps, meanMap) = GradCamThroughput(learner, gradCamBatch, minimumSeconds);
            var epochSeconds = timer.EpochSeconds;
            var steady = epochSeconds.Count > 1 ? epochSeconds.Skip(1).Order().ElementAt((epochSeconds.Count - 1) / 2) : epochSeconds[0];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT impl=torchsharp epochs={epochs} train_s={trainSeconds:F3} s_per_epoch={trainSeconds / epochs:F4} infer_series_per_s={inferencePerSecond:F1} final_acc={fit.Last!["accuracy"]:F4} epoch1_s={epochSeconds[0]:F4} median_epoch_s_excl1={steady:F4} train_phase_s_per_epoch={timer.TrainSeconds.Average():F4} valid_phase_s_per_epoch={timer.ValidSeconds.Average():F4} n_train={data.Train.Count} n_valid={data.Valid.Count} length={data.Length} threads={TorchRuntime.Threads} self_maxrss_mb={ProcStatus("VmHWM:") / 1024.0:F1} params={n} split={split} steps_per_epoch={data.Train.BatchCount} final_train_loss={fit.Last.TrainLoss:F6} final_valid_loss={fit.Last.ValidLoss:F6} seed={seed}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"GRADCAM series_per_s={gradCamPerSecond:F1} batch={gradCamBatch} reps={reps} cam_mean={meanMap:E6} layer=5 target=label"));
        }
        return 0;
    }

    private static double Checksum(TimeSeriesDataset data)
    {
        var sum = 0.0;
        foreach (var v in data.Values)
            sum += v;
        return sum;
    }

    /// <summary>Series per second through the model in eval mode without gradients, batches of the loader's size, its convolutions as <paramref name="precision"/> predicts.</summary>
    private static double InferenceThroughput(Learner learner, double minimumSeconds, InferencePrecision precision)
    {
        var loader = learner.Data.Valid;
        var model = learner.Model;
        model.eval();
        using var convolutionType = new ConvolutionTypeScope([model], precision.ConvolutionType());
        var batches = loader.BatchIndices(0);
        var watch = Stopwatch.StartNew();
        var series = 0L;
        using var noGrad = torch.no_grad();
        do
        {
            foreach (var indices in batches)
            {
                using var scope = torch.NewDisposeScope();
                using var batch = loader.GetBatch(indices);
                model.call(batch.Inputs);
                series += indices.Length;
            }
        } while (watch.Elapsed.TotalSeconds < minimumSeconds);
        return series / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Grad-CAM maps per second: the reference's batch of 64 validation series (cycled), layer 5, raw maps.</summary>
    private static (double PerSecond, int Repetitions, double MeanMap) GradCamThroughput(Learner learner, int batchSize, double minimumSeconds)
    {
        var loader = learner.Data.Valid;
        var indices = Enumerable.Range(0, batchSize).Select(i => i % loader.Count).ToArray();
        var explainer = new Explainer(learner.Classifier);
        var options = new ExplainOptions { ForceScale = false, BatchSize = batchSize };
        var maps = explainer.Explain(loader, indices, options); // warm-up
        var watch = Stopwatch.StartNew();
        var repetitions = 0;
        do
        {
            maps = explainer.Explain(loader, indices, options);
            repetitions++;
        } while (watch.Elapsed.TotalSeconds < minimumSeconds);
        var mean = 0.0;
        foreach (var v in maps.Values)
            mean += v / maps.Values.Length;
        return (repetitions * batchSize / watch.Elapsed.TotalSeconds, repetitions, mean);
    }

    /// <summary>Prints the reference's table row with the training and validation phases timed apart.</summary>
    private sealed class PhaseTimer(bool memoryTrace, bool trimEachEpoch) : Callback
    {
        private readonly Stopwatch _epoch = new();
        private readonly Stopwatch _phase = new();
        private double _train;
        private readonly List<double> _heapAfterStep = [];
        private double _peakUsedAfterForward;

        // The live heap's peak between the callbacks' glimpses (mid-backward, where saved tensors and gradients meet):
        // read every millisecond on a thread of its own while memoryTrace is on.
        private double _sampledPeakUsed;
        private volatile bool _fitting;

        public List<double> EpochSeconds { get; } = [];

        public override void BeforeFit(TrainingContext context)
        {
            if (!memoryTrace)
                return;
            _fitting = true;
            new Thread(() =>
            {
                while (_fitting)
                {
                    var used = MemoryProbe.Heap().Used;
                    if (used > Volatile.Read(ref _sampledPeakUsed))
                        Volatile.Write(ref _sampledPeakUsed, used);
                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "heap sampler" }.Start();
        }

        public override void AfterFit(TrainingContext context) => _fitting = false;
        public List<double> TrainSeconds { get; } = [];
        public List<double> ValidSeconds { get; } = [];

        public override void BeforeEpoch(TrainingContext context)
        {
            _epoch.Restart();
            _phase.Restart();
        }

        public override void AfterLoss(TrainingContext context)
        {
            if (memoryTrace)
                _peakUsedAfterForward = Math.Max(_peakUsedAfterForward, MemoryProbe.Heap().Used);
        }

        public override void AfterTrainBatch(TrainingContext context)
        {
            if (memoryTrace)
                _heapAfterStep.Add(MemoryProbe.Heap().Arenas);
        }

        public override void BeforeValidate(TrainingContext context)
        {
            _train = _phase.Elapsed.TotalSeconds;
            if (memoryTrace)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# mem epoch={context.Epoch} peak_malloc_used_sampled={Volatile.Read(ref _sampledPeakUsed):F0} peak_malloc_used_after_forward={_peakUsedAfterForward:F0} malloc_arena_after_each_step={string.Join(",", _heapAfterStep.Select(h => h.ToString("F0", CultureInfo.InvariantCulture)))}"));
                _heapAfterStep.Clear();
                _peakUsedAfterForward = 0;
                Volatile.Write(ref _sampledPeakUsed, 0);
            }
            if (memoryTrace)
                Console.WriteLine($"# mem epoch={context.Epoch} after=train {MemoryProbe.Line()}");
            _phase.Restart();
        }

        public override void AfterEpoch(TrainingContext context)
        {
            var valid = _phase.Elapsed.TotalSeconds;
            var epoch = _epoch.Elapsed.TotalSeconds;
            EpochSeconds.Add(epoch);
            TrainSeconds.Add(_train);
            ValidSeconds.Add(valid);
            var row = context.LastEpoch!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Epoch,-6} {row.TrainLoss,-11:F6} {row.ValidLoss,-11:F6} {row["accuracy"],-9:F6} {row.Duration:mm\\:ss}  | {epoch,-8:F3} {_train,-14:F3} {valid,-14:F3} {ProcStatus("VmRSS:") / 1024.0:F1}"));
            if (memoryTrace)
                Console.WriteLine($"# mem epoch={row.Epoch} after=valid {MemoryProbe.Line()}");
            if (trimEachEpoch)
            {
                TorchRuntime.ReleaseFreeMemory(); // what the learner does at most every 5 s
                Console.WriteLine($"# mem epoch={row.Epoch} after=trim {MemoryProbe.Line()}");
            }
        }
    }
}
