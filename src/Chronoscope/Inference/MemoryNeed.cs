using System.Globalization;

namespace Chronoscope.Inference;

/// <summary>
/// What a piece of work will ask of memory, for <see cref="MemoryBudget.Require"/>: its peak estimate for a batch of
/// <see cref="Batch"/> series (and for smaller batches, to say which fits), and what to call it in a message.
/// </summary>
/// <param name="work">The work, as a message says it: <c>predicting</c>, <c>training on</c>, <c>explaining (GRAD-CAM)</c>.</param>
/// <param name="source">The data: its file where known, else its name.</param>
/// <param name="length">Steps per series.</param>
/// <param name="batch">Series per pass (or per batch, where the batch bounds the pass).</param>
/// <param name="estimate">The peak bytes for a batch of so many series (<see cref="MemoryBudget.Estimate"/>), non-decreasing in it.</param>
internal sealed class MemoryNeed(string work, string source, long length, int batch, Func<int, long> estimate)
{
    public string Work { get; } = work;

    public string Source { get; } = source;

    public long Length { get; } = length;

    public int Batch { get; } = Math.Max(1, batch);

    /// <summary>The peak estimate, in bytes.</summary>
    public long Bytes => estimate(Batch);

    /// <summary>The same work in batches of <paramref name="batch"/> series.</summary>
    public MemoryNeed WithBatch(int batch) => new(Work, Source, Length, batch, estimate);

    /// <summary>The largest batch up to <see cref="Batch"/> whose estimate is within <paramref name="bytes"/>; 0 when not even one series fits.</summary>
    public int LargestBatchWithin(long bytes)
    {
        int low = 0, high = Batch; // estimate(low) fits (0: nothing asked), estimate(high + 1) does not
        while (low < high)
        {
            var middle = low + (high - low + 1) / 2;
            if (estimate(middle) <= bytes)
                low = middle;
            else
                high = middle - 1;
        }
        return low;
    }

    /// <summary><c>predicting series of 10,000,000 steps, one at a time,</c>.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Work} series of {Length:N0} steps, {(Batch == 1 ? "one" : Batch.ToString("N0", CultureInfo.InvariantCulture))} at a time,");

    /// <summary>The data's file (its first) where it was read from one, else its name.</summary>
    public static string SourceOf(Data.TimeSeriesDataset data) => data.Sources.Count > 0 ? data.Sources[0] : data.Name;
}
