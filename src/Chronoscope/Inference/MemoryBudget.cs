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
/// rates depend on how libtorch's memory is kept: the process's block cache (<see cref="TensorBlockCache"/>, which the
/// command line installs) holds a pass to about what lives in it, glibc's heap alone to more
/// (<see cref="CachedBlockRates"/>, <see cref="SystemHeapRates"/>).
/// </para>
/// </summary>
internal static class MemoryBudget
{
    /// <summary>The process before any pass: the .NET runtime, libtorch and a model (0.21-0.22 GB measured, 0.2-0.4 GB with larger data).</summary>
    public const long ProcessBytes = 256L << 20;

    /// <summary>Bytes per series step of each kind of pass, for the default network.</summary>
    internal sealed record PassRates(long Prediction, long LayerGradients, long InputGradients, long Training)
    {
        public long Of(MemoryPass pass) => pass switch
        {
            MemoryPass.Prediction => Prediction,
            MemoryPass.LayerGradients => LayerGradients,
            MemoryPass.InputGradients => InputGradients,
            MemoryPass.Training => Training,
            _ => throw new ArgumentOutOfRangeException(nameof(pass), pass, null),
        };
    }

    /// <summary>
    /// The rates with tensors' large blocks cached (<see cref="TensorBlockCache"/>), each 10-20% above the most measured
    /// on 5 December 2026 as the peak resident memory (<c>/usr/bin/time -v</c>) of the command line, less the process's
    /// 0.21 GB, on synthetic 3-channel series (<c>chronoscope datasets synth</c>), default network, 2 threads, passes as
    /// <see cref="SeriesPerPass"/> bounds them:
    /// prediction 6 KB (<c>predict</c>, 4 × 10,000, 4 × 20,000 and 2 × 80,000 steps: 0.41, 0.61, 1.02 GB, 5.0-5.1 KB a step);
    /// Grad-CAM and its family 8 KB (<c>cam --method gradcam</c> on 20 series of 2,000, 4,000, 8,000 steps: 0.42, 0.64,
    /// 1.08 GB, 5.3-5.8 KB); input gradients 32 KB (<c>--method saliency</c> on the same: 0.99, 1.44, 1.06 GB, 18-24 KB;
    /// <c>--method ig</c>, 64 copies, on 20 × 2,000 and 20 × 4,000: 1.30 and 1.65 GB, 21 and 28 KB); training 22 KB
    /// (<c>train --epochs 1 --precision fp32</c>, batches of 4 × 5,000, 4 × 10,000, 8 × 10,000, 4 × 20,000, 2 × 40,000
    /// and 1 × 80,000 steps: 0.55, 0.89, 1.50, 1.55, 1.75, 1.73 GB, 15-20 KB; bf16 takes less).
    /// </summary>
    public static readonly PassRates CachedBlockRates = new(6L << 10, 8L << 10, 32L << 10, 22L << 10);

    /// <summary>
    /// The rates with glibc's heap alone (a library user who has not called <c>TorchRuntime.TuneAllocator</c>, or
    /// <c>CHRONOSCOPE_ALLOCATOR=system</c>), measured as <see cref="CachedBlockRates"/>, the same day, the same runs with
    /// the cache declined: prediction 8 KB (0.40, 0.62, 1.27 GB: 4.7-6.7 KB a step); Grad-CAM 11 KB (0.45, 0.94,
    /// 1.33 GB: 5.9-9.3 KB); input gradients 50 KB (saliency 1.31, 1.64, 1.40 GB: 25-28 KB; integrated gradients 2.18
    /// and 2.33-2.47 GB: 39-44 KB); training 40 KB (0.76, 1.34, 2.21, 2.31, 2.57, 3.03 GB: 27-36 KB).
    /// </summary>
    public static readonly PassRates SystemHeapRates = new(8L << 10, 11L << 10, 50L << 10, 40L << 10);

    /// <summary>The rates of this process: <see cref="CachedBlockRates"/> where the block cache is installed, else <see cref="SystemHeapRates"/>.</summary>
    public static PassRates Rates => TensorBlockCache.Installed ? CachedBlockRates : SystemHeapRates;

    /// <summary>The rate of <paramref name="pass"/> for the default network in this process, in bytes per series step.</summary>
    public static long BytesPerSeriesStep(MemoryPass pass) => Rates.Of(pass);

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
