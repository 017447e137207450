using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;

namespace Chronoscope.Models;

/// <summary>
/// Where the max pool of the Inception module's pool branch (kernel 3, stride 1, padding 1) takes each step: for a
/// (B, C, T) float32 input on the CPU, the (B, C, T) int64 index of the input step each output step is the maximum
/// of, chosen as libtorch's pool with indices chooses (the window scanned in order, a step taken when it is greater
/// than the maximum so far or NaN: the first of equal maxima, the last NaN). One pass over the input in vectors of
/// eight, where the whole-tensor comparisons of <see cref="InceptionModule"/> take a dozen: 1.3-1.5 ms for
/// (64, 128, 500), where those comparisons and their gather took 9.5-9.6 ms and the gather alone 1.0 (L = 150: 0.7 ms,
/// against 2.7-2.8 with the gather's 0.3-0.4; scratch benchmark, median of 30).
/// </summary>
internal static class PoolWindow
{
    /// <summary>Whether <paramref name="input"/> can be indexed here: contiguous float32 on the CPU, and its index under 2 GiB.</summary>
    public static bool Applies(torch.Tensor input) =>
        input.dtype == torch.ScalarType.Float32 && input.device_type == DeviceType.CPU && input.dim() == 3
        && input.is_contiguous() && input.numel() * sizeof(long) <= int.MaxValue && input.shape[2] >= 2;

    /// <summary>The index for <paramref name="input"/> (see <see cref="Applies"/>), (B, C, T) to (B, C, T) int64.</summary>
    public static torch.Tensor Index(torch.Tensor input)
    {
        var length = (int)input.shape[2];
        var rows = (int)(input.numel() / length);
        var index = torch.empty(input.shape, torch.ScalarType.Int64);
        var values = MemoryMarshal.Cast<byte, float>(input.bytes);
        var steps = MemoryMarshal.Cast<byte, long>(index.bytes);
        for (var row = 0; row < rows; row++)
            IndexRow(values.Slice(row * length, length), steps.Slice(row * length, length));
        return index;
    }

    private static void IndexRow(ReadOnlySpan<float> x, Span<long> index)
    {
        var length = x.Length;
        index[0] = Choose(x, 0, 1);
        index[length - 1] = Choose(x, length - 2, length - 1);
        var last = length - 1 - Vector256<float>.Count; // the first step of the last whole vector of inner steps
        if (!Vector256.IsHardwareAccelerated || last < 1)
        {
            for (var t = 1; t < length - 1; t++)
                index[t] = Choose(x, t - 1, t + 1);
            return;
        }
        for (var t = 1; t < last; t += Vector256<float>.Count)
            IndexVector(x, index, t);
        IndexVector(x, index, last); // the rest, overlapping the loop's last vector with the same values
    }

    // Steps t..t+7, each an inner step (a whole window): reads x[t - 1 .. t + 8], which IndexRow keeps inside the row.
    private static void IndexVector(ReadOnlySpan<float> x, Span<long> index, int t)
    {
        ref var first = ref MemoryMarshal.GetReference(x);
        var before = Vector256.LoadUnsafe(ref first, (nuint)(t - 1));
        var at = Vector256.LoadUnsafe(ref first, (nuint)t);
        var after = Vector256.LoadUnsafe(ref first, (nuint)(t + 1));
        // The window in order: its first step, then the middle one if greater or NaN, then the last likewise.
        var takesAt = Vector256.GreaterThan(at, before) | ~Vector256.Equals(at, at);
        var maximum = Vector256.ConditionalSelect(takesAt, at, before);
        var takesAfter = Vector256.GreaterThan(after, maximum) | ~Vector256.Equals(after, after);
        var offset = Vector256.ConditionalSelect(takesAfter.AsInt32(), Vector256.Create(2), takesAt.AsInt32() & Vector256<int>.One);
        var (low, high) = Vector256.Widen(offset + Vector256<int>.Indices + Vector256.Create(t - 1));
        ref var steps = ref MemoryMarshal.GetReference(index);
        low.StoreUnsafe(ref steps, (nuint)t);
        high.StoreUnsafe(ref steps, (nuint)(t + Vector256<long>.Count));
    }

    // The step of first..last (inclusive) that libtorch's pool takes.
    private static long Choose(ReadOnlySpan<float> x, int first, int last)
    {
        var maximum = float.NegativeInfinity;
        long chosen = first;
        for (var j = first; j <= last; j++)
        {
            if (x[j] > maximum || float.IsNaN(x[j]))
            {
                maximum = x[j];
                chosen = j;
            }
        }
        return chosen;
    }
}
