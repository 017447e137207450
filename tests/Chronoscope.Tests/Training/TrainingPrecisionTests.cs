using System.Runtime.Intrinsics.X86;
using Chronoscope.Data;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Tests.Training;

public sealed class TrainingPrecisionTests
{
    private static DataLoaders SmallData() =>
        DataLoaders.FromDatasets(
            SyntheticData.Create(64, 1, 40, 2, seed: 3),
            SyntheticData.Create(32, 1, 40, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });

    [Fact]
    public void Should_Train_In_BFloat16_Close_To_Float32_And_Predict_In_Float32()
    {
        // Given two learners from the same seed, one training its convolutions in bfloat16
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var exact = Learner.Create(data, new LearnerOptions { Seed = 7, Precision = TrainingPrecision.Float32 });
        using var mixed = Learner.Create(data, new LearnerOptions { Seed = 7, Precision = TrainingPrecision.BFloat16 });

        // When both train two epochs (8 steps)
        var exactFit = exact.FitOneCycle(2, 3e-3);
        var mixedFit = mixed.FitOneCycle(2, 3e-3);

        // Then the first batch's loss (same weights, same batch) differs by bfloat16's rounding only: not at all equal,
        // within 2%; and both runs learn as far (Adam's normalised steps let the weights themselves drift apart)
        Assert.Equal(TrainingPrecision.BFloat16, mixed.Precision);
        Assert.Equal("as asked", mixed.PrecisionReason);
        var (first, mixedFirst) = (exact.Recorder.Losses[0], mixed.Recorder.Losses[0]);
        Assert.NotEqual(first, mixedFirst);
        Assert.True(Math.Abs(mixedFirst - first) < 0.02 * first, $"first loss {first} in fp32, {mixedFirst} in bf16");
        Assert.True(mixedFit.Last!.TrainLoss < mixedFit.Epochs[0].TrainLoss);
        Assert.Equal(exactFit.Last!.TrainLoss, mixedFit.Last.TrainLoss, 0.05);

        // and after the fit the network predicts and explains in float32 again
        Assert.Equal(torch.ScalarType.Float32, mixed.Model.ConvolutionType);
        // and validated in float32: the last row's validation loss is the float32 loss of the final network
        Assert.Equal(FloatValidationLoss(mixed, data), mixedFit.Last.ValidLoss, 1e-6);
    }

    // The validation loss of the learner's network computed in float32 (eval, no gradients), weighted by batch size.
    private static double FloatValidationLoss(Learner learner, DataLoaders data)
    {
        learner.Model.eval();
        using var noGrad = torch.no_grad();
        var sum = 0.0;
        foreach (var indices in data.Valid.BatchIndices(0))
        {
            using var scope = torch.NewDisposeScope();
            using var batch = data.Valid.GetBatch(indices);
            sum += learner.ComputeLoss(learner.Model.call(batch.Inputs), batch.Targets!).item<float>() * batch.Count;
        }
        return sum / data.Valid.Count;
    }

    [Fact]
    public void Should_Choose_BFloat16_In_Auto_Only_Where_The_CPU_Has_It()
    {
        // Given a learner with precision auto whose branches are not convolved by FFT
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data, new LearnerOptions { Precision = TrainingPrecision.Auto });
        learner.Model.SpectralBranches = false;

        // When it decides
        var precision = learner.Precision;

        // Then bf16 exactly where the CPU computes bfloat16 natively, the first batch's logits then within 5% of fp32
        // (and never trivially equal: the bf16 path was taken)
        if (TorchRuntime.NativeBFloat16)
        {
            Assert.Equal(TrainingPrecision.BFloat16, precision);
            var error = learner.MixedPrecisionError();
            Assert.InRange(error, 1e-6, Learner.MixedPrecisionTolerance);
            Assert.StartsWith("native bfloat16; logits within", learner.PrecisionReason);
        }
        else
        {
            Assert.Equal(TrainingPrecision.Float32, precision);
            Assert.Contains("no native bfloat16", learner.PrecisionReason);
        }
    }

    [Fact]
    public void Should_Keep_Float32_In_Auto_Where_Its_Branches_Go_By_FFT_In_Large_Batches_And_The_CPU_Has_No_AMX()
    {
        // Given the default network, whose modules after the first take 32 bottleneck channels into kernels of 67 taps,
        // on batches of 16 × 256 steps (the least batch work at which auto prefers the FFT), of 16 × 40, and with
        // kernels too short for the transform to pay (SpectralConvolution.MinimumTaps)
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 256, 2, seed: 3), SyntheticData.Create(8, 1, 256, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        Assert.Equal(16 * 256, Learner.FftOverBFloat16BatchWork);
        using var small = SmallData();
        using var learner = Learner.Create(data, new LearnerOptions { Precision = TrainingPrecision.Auto });
        using var smallSteps = Learner.Create(small, new LearnerOptions { Precision = TrainingPrecision.Auto });
        using var shortKernels = Learner.Create(data, new LearnerOptions { Precision = TrainingPrecision.Auto, Model = new() { KernelSizes = [9, 5, 3] } });

        // Then the branches go by FFT for series up to 4,096 steps where the CPU has AVX-512, never longer ones
        Assert.Equal(Avx512F.IsSupported, learner.Model.TrainsBranchesByFft(40));
        Assert.Equal(Avx512F.IsSupported, learner.Model.TrainsBranchesByFft(4096));
        Assert.False(learner.Model.TrainsBranchesByFft(4097));
        Assert.False(shortKernels.Model.TrainsBranchesByFft(256));

        // And auto keeps float32 exactly where bfloat16 is native but AMX is missing and the FFT applies to large enough
        // batches; smaller batches and short kernels take bfloat16 where it is native
        var byFft = TorchRuntime.NativeBFloat16 && !TorchRuntime.AmxBFloat16 && Avx512F.IsSupported;
        var native = TorchRuntime.NativeBFloat16 ? TrainingPrecision.BFloat16 : TrainingPrecision.Float32;
        Assert.Equal(byFft ? TrainingPrecision.Float32 : native, learner.Precision);
        Assert.Equal(byFft, learner.PrecisionReason!.Contains("by FFT", StringComparison.Ordinal));
        Assert.Equal(native, smallSteps.Precision);
        Assert.Equal(native, shortKernels.Precision);
    }

    [Fact]
    public void Should_Fall_Back_To_Float32_When_The_First_Batch_Is_Not_Finite()
    {
        // Given a first training batch whose values overflow the network (float32 and bfloat16 share the exponent range)
        using var leaks = new TensorLeakCheck();
        var train = SyntheticData.Create(16, 1, 40, 2, seed: 3);
        var values = train.Values.ToArray();
        Array.Fill(values, 3e38f, 0, 40); // the first series

        var overflowing = new TimeSeriesDataset("overflow", values, train.Count, 1, 40, [.. train.Labels!]);
        using var data = DataLoaders.FromDatasets(overflowing, SyntheticData.Create(8, 1, 40, 2, seed: 4), new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Precision = TrainingPrecision.Auto });
        learner.Model.SpectralBranches = false;

        // When auto decides, Then it keeps float32 and says why (on a CPU without bf16 for that reason instead)
        Assert.Equal(TrainingPrecision.Float32, learner.Precision);
        if (TorchRuntime.NativeBFloat16)
            Assert.Contains("logits on the first batch were not finite", learner.PrecisionReason);
    }

    [Fact]
    public void Should_Detect_Native_BFloat16_As_The_Kernel_Reports_The_CPU_Flags()
    {
        // Given the CPU flags Linux reports (an independent reading of the same CPUID bits)
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo"))
            return;
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');

        // Then native bf16 means AVX-512 with BF16, or AMX-BF16
        var expected = flags.Contains("avx512f") && (flags.Contains("avx512_bf16") || flags.Contains("amx_bf16"));
        Assert.Equal(expected, TorchRuntime.NativeBFloat16);
    }
}
