using System.Globalization;
using Chronoscope.Models;

namespace Chronoscope.Inference;

/// <summary>
/// The peak memory a pass through the network will take, estimated before it starts, and the judgement against the
/// machine's (<see cref="MachineMemory"/>): refused with a <see cref="MemoryLimitException"/> when the estimate exceeds
/// all the memory there is (the process could only be killed), a warning when it exceeds what is available now (it may
/// still succeed as others free theirs), nothing otherwise. A run that could succeed is never refused.
/// <para>
/// The estimate is <see cref="ProcessBytes"/> plus a rate per series step (one series, one time step) times the series
/// in one pass times their length, scaled by the network's size against the default InceptionTime (6 blocks of 4 × 32
/// channels): by its width as <see cref="SeriesPerPass"/> scales, and by its depth (proportional, extrapolated). The
/// rates were measured on 4 December 2026 as the peak resident memory (<c>/usr/bin/time -v</c>) of the command line on
/// synthetic 3-channel series (<c>chronoscope datasets synth</c>) at three sizes each, 2 threads, glibc malloc as the
/// command line tunes it; the process itself (runtime, libtorch, model) held 0.2-0.4 GB at the smallest size.
/// </para>
/// </summary>
internal static class MemoryBudget
{
    /// <summary>The process before any pass: the .NET runtime, libtorch and a model (0.2-0.4 GB measured).</summary>
    public const long ProcessBytes = 256L << 20;

    /// <summary>
    /// Prediction (forward without gradients): 6 KB per series step. Measured with <c>chronoscope predict</c> on 4 series
    /// of 10,000 steps (0.43 GB peak), 4 of 20,000 (0.63 GB) and 2 of 80,000 in one pass (1.08 GB): 5.0-5.7 KB a step;
    /// before the passes were bounded, 16 series of 100,000 steps peaked at 9.4 GB (5.9 KB).
    /// </summary>
    public const long PredictionBytesPerSeriesStep = 6L << 10;

    /// <summary>
    /// Grad-CAM and its family at the last Inception block: 10 KB per series step. Measured with <c>chronoscope cam
    /// --method gradcam --items all</c> on 20 series of 2,000 steps (0.46 GB), 4,000 (0.89 GB) and 8,000 (1.42 GB) in
    /// one pass: 6.3-8.5 KB a step above the process; 10 leaves room for the map's own tensors.
    /// </summary>
    public const long LayerGradientsBytesPerSeriesStep = 10L << 10;

    /// <summary>
    /// Input attributions (gradients down to the input): 30 KB per series step. Measured with <c>chronoscope cam --method
    /// saliency</c> on 20 series of 2,000, 4,000 and 8,000 steps in one pass (1.19, 2.50 and 4.13 GB: 24-28 KB a step)
    /// and <c>--method ig</c> on the same 20 series of 2,000 and 4,000 steps, 64 copies each in passes of 131 and 65
    /// series (7.7 and 8.6 GB: 28-32 KB a step).
    /// </summary>
    public const long InputGradientsBytesPerSeriesStep = 30L << 10;

    /// <summary>
    /// Training (activations saved for the backward pass, gradients, Adam's state): 32 KB per series step. Measured with
    /// <c>chronoscope train --epochs 1 --precision fp32 --no-report</c> on batches of 4 series of 5,000 steps (0.89 GB),
    /// 4 of 10,000 (1.55 GB), and 80,000 series steps as 8 × 10,000, 4 × 20,000, 2 × 40,000 and 1 × 80,000 (2.03, 2.60,
    /// 2.99 and 2.64 GB): 26-35 KB a step; 32 reaches the highest. Mixed precision (bf16) took less (4 × 10,000: 1.32 GB).
    /// </summary>
    public const long TrainingBytesPerSeriesStep = 32L << 10;

    /// <summary>The rate of <paramref name="pass"/> for the default network, in bytes per series step.</summary>
    public static long BytesPerSeriesStep(MemoryPass pass) => pass switch
    {
        MemoryPass.Prediction => PredictionBytesPerSeriesStep,
        MemoryPass.LayerGradients => LayerGradientsBytesPerSeriesStep,
        MemoryPass.InputGradients => InputGradientsBytesPerSeriesStep,
        MemoryPass.Training => TrainingBytesPerSeriesStep,
        _ => throw new ArgumentOutOfRangeException(nameof(pass), pass, null),
    };

    /// <summary>
    /// <paramref name="network"/>'s activations against the default's: its blocks' output channels over 128, times its
    /// depth over 6.
    /// </summary>
    public static double Scale(InceptionTimeOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.BlockChannels / 128.0 * network.Depth / 6.0;
    }

    /// <summary>
    /// The peak bytes of one pass of <paramref name="pass"/> over <paramref name="seriesPerPass"/> series of
    /// <paramref name="length"/> steps through <paramref name="network"/>, with <paramref name="extraBytes"/> the work
    /// holds besides (e.g. the copies a faithfulness curve makes).
    /// </summary>
    public static long Estimate(MemoryPass pass, long seriesPerPass, long length, InceptionTimeOptions network, long extraBytes = 0)
    {
        var bytes = ProcessBytes + (double)BytesPerSeriesStep(pass) * Scale(network) * seriesPerPass * length + extraBytes;
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    /// <summary>
    /// Refuses <paramref name="need"/> with a <see cref="MemoryLimitException"/> when its estimate exceeds all the memory
    /// of <paramref name="memory"/> (by default the machine's now); returns a warning when it exceeds what is available
    /// now, else null.
    /// </summary>
    public static string? Require(MemoryNeed need, MachineMemory? memory = null)
    {
        ArgumentNullException.ThrowIfNull(need);
        memory ??= MachineMemory.Read();
        var bytes = need.Bytes;
        if (bytes > memory.Total)
        {
            throw new MemoryLimitException(
                $"{need.Source}: {need.Describe()} needs about {Size(bytes)} of memory, more than the {Size(memory.Total)} this machine has in all ({memory.Origin}): " +
                $"the system would kill it part way, without a message. To fit: {Remedy(need, memory.Total)}or use a machine with more memory.",
                bytes, memory.Total);
        }
        var reachable = Reachable(memory);
        if (bytes > reachable)
        {
            return $"{need.Source}: {need.Describe()} needs about {Size(bytes)} of memory, more than the {Size(reachable)} available to it now (of {Size(memory.Total)} in all): " +
                $"the system may kill it unless other programs free theirs. To be safe: {Remedy(need, reachable)}or free memory.";
        }
        return null;
    }

    /// <summary>
    /// The series per pass for work whose results do not depend on it (prediction, explanation: each series is computed
    /// alone): <paramref name="need"/>'s, or fewer where they would exceed the memory available now, down to one; one
    /// series beyond all the memory is refused (<see cref="Require"/>), beyond the available a warning.
    /// </summary>
    public static (int SeriesPerPass, string? Warning) FitPasses(MemoryNeed need, MachineMemory? memory = null)
    {
        ArgumentNullException.ThrowIfNull(need);
        memory ??= MachineMemory.Read();
        var fitting = need.LargestBatchWithin(Reachable(memory));
        return fitting >= 1 ? (fitting, null) : (1, Require(need.WithBatch(1), memory));
    }

    /// <summary>
    /// How many processes, each doing <paramref name="need"/> (its own <see cref="ProcessBytes"/> counted), the memory
    /// available now holds side by side: at most <paramref name="wanted"/>, at least one (whether one fits is
    /// <see cref="Require"/>'s to say). What this process holds is not counted as theirs: it stays while they run.
    /// </summary>
    public static int ProcessesAtOnce(MemoryNeed need, int wanted, MachineMemory? memory = null)
    {
        ArgumentNullException.ThrowIfNull(need);
        memory ??= MachineMemory.Read();
        return (int)Math.Clamp(memory.Available / Math.Max(1, need.Bytes), 1, Math.Max(1, wanted));
    }

    /// <summary>
    /// What work in this process may take now: the memory available plus the process's own, which every estimate
    /// counts (<see cref="ProcessBytes"/>) but which is resident already, not among the available. Without it a
    /// machine with less than 256 MB free would be told that predicting one short series may not fit.
    /// </summary>
    public static long Reachable(MachineMemory memory) => Math.Min(memory.Total, memory.Available + ProcessBytes);

    /// <summary>The ways to fit within <paramref name="bytes"/>, each ending with ", ": a smaller batch where one fits, and shorter series.</summary>
    private static string Remedy(MemoryNeed need, long bytes)
    {
        var fitting = need.LargestBatchWithin(bytes);
        var batch = fitting >= 1 && fitting < need.Batch ? $"a batch of at most {fitting.ToString("N0", CultureInfo.InvariantCulture)} series, " : "";
        return $"{batch}shorter series (resample or crop them), ";
    }

    /// <summary>Bytes for people: <c>512 MB</c>, <c>60.2 GB</c> (decimal units, as <c>free -h</c> would not: 1 GB = 10⁹ bytes).</summary>
    public static string Size(long bytes) =>
        bytes >= 1_000_000_000
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, bytes / 1_000_000)} MB");
}
