using System.Globalization;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Training;

public sealed partial class Learner
{
    /// <summary>
    /// The largest difference of the logits computed with bfloat16 convolutions from the float32 ones, relative to the
    /// largest float32 logit, that <see cref="TrainingPrecision.Auto"/> accepts: five times bfloat16's rounding
    /// accumulated over the network (0.3% measured on GunPoint's first batch; an overflow or a broken kernel is far above).
    /// </summary>
    internal const double MixedPrecisionTolerance = 0.05;

    /// <summary>
    /// Series × time steps a training batch at least for <see cref="TrainingPrecision.Auto"/> to prefer float32 by FFT
    /// to bfloat16 on a CPU without AMX. Smaller steps are dominated by per-operation costs, where bfloat16's direct
    /// convolutions were as fast or faster (AMD EPYC Zen 5, default fits: GunPoint's batch of 12 × 150 25.3-26.7 s against
    /// 27.8 s in float32, ECG200's 25 × 96 23.0-23.9 against 23.2-24.6 s); from 64 × 80 float32 led
    /// (PhalangesOutlinesCorrect 66.8 against 75.6 s; 64 × 150 and 64 × 500 epochs 11-20% shorter; docs/speed.md).
    /// </summary>
    internal const long FftOverBFloat16BatchWork = 4096;

    private TrainingPrecision? _precision;

    /// <summary>
    /// The precision fits train in: <see cref="LearnerOptions.Precision"/>, with <see cref="TrainingPrecision.Auto"/>
    /// decided on first use (at the latest when a fit starts): bfloat16 where the processor computes it natively
    /// (<see cref="TorchRuntime.NativeBFloat16"/>), unless it has no AMX and float32 training convolves the branches by
    /// FFT for this data (<see cref="SpectralConvolution"/>) in batches of at least <see cref="FftOverBFloat16BatchWork"/>
    /// series × steps, and the network's logits on the first training batch, computed with bfloat16 convolutions, stay
    /// within 5% of the float32 ones; else float32. <see cref="PrecisionReason"/> says why.
    /// </summary>
    public TrainingPrecision Precision
    {
        get
        {
            if (_precision is null)
                (_precision, PrecisionReason) = DecidePrecision();
            return _precision.Value;
        }
    }

    /// <summary>Why <see cref="Precision"/> is what it is, in a sentence (null until decided).</summary>
    public string? PrecisionReason { get; private set; }

    private (TrainingPrecision, string) DecidePrecision()
    {
        if (Options.Precision != TrainingPrecision.Auto)
            return (Options.Precision, "as asked");
        if (!TorchRuntime.NativeBFloat16)
            return (TrainingPrecision.Float32, "the processor has no native bfloat16 (AVX512-BF16 or AMX)");
        // Without AMX, oneDNN's bfloat16 convolutions gain less than the FFT does in float32 on all but small batches
        // (AMD EPYC Zen 5: FordA-size epochs 24.2-24.7 s against 28.6-30.2; docs/speed.md), and float32 is exact.
        var batchWork = (long)Math.Min(Data.Train.BatchSize, Data.Train.Count) * Data.Length;
        if (!TorchRuntime.AmxBFloat16 && Model.TrainsBranchesByFft(Data.Length) && batchWork >= FftOverBFloat16BatchWork)
            return (TrainingPrecision.Float32, "float32 convolves the branches by FFT, faster than bfloat16 without AMX");
        var error = MixedPrecisionError();
        if (double.IsNaN(error))
            return (TrainingPrecision.Float32, "the network's logits on the first batch were not finite, so bfloat16 could not be checked");
        return error < MixedPrecisionTolerance
            ? (TrainingPrecision.BFloat16, $"native bfloat16; logits within {Percent(error)} of float32 on the first batch")
            : (TrainingPrecision.Float32, $"logits with bfloat16 convolutions were {Percent(error)} off float32 on the first batch (over {Percent(MixedPrecisionTolerance)})");
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// max |logits(bfloat16 convolutions) − logits(float32)| / max |logits(float32)| on the first training batch, in
    /// eval mode (no statistics move) with gradients on, so that neither pass folds BatchNorm (training does not).
    /// NaN when either is not finite.
    /// </summary>
    internal double MixedPrecisionError()
    {
        using var use = Model.UseLock.EnterScope();
        var wasTraining = Model.training;
        try
        {
            Model.eval();
            using var scope = torch.NewDisposeScope();
            using var batch = Data.Train.GetBatch([.. Enumerable.Range(0, Math.Min(Data.Train.Count, Data.Train.BatchSize))]);
            var exact = Model.call(batch.Inputs).detach(); // (B, K)
            torch.Tensor mixed;
            using (new ConvolutionTypeScope([Model], torch.ScalarType.BFloat16))
                mixed = Model.call(batch.Inputs).detach(); // (B, K)
            var error = ((mixed - exact).abs().max() / exact.abs().max()).item<float>();
            return float.IsFinite(error) ? error : double.NaN;
        }
        finally
        {
            Model.train(wasTraining);
        }
    }
}
