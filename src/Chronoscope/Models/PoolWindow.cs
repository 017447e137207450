using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;

namespace Chronoscope.Models;

/// <summary>
/// The max pool of the Inception module's pool branch (kernel 3, stride 1, padding 1) with its gradient, for a
/// (B, C, T) float32 input on the CPU: each output step the maximum of its window, chosen as libtorch's pool with
/// indices chooses (the window scanned in order, a step taken when it is greater than the maximum so far or NaN: the
/// first of equal maxima, the last NaN), and the gradient sent back to that step. One pass over the input in vectors of
/// eight, where libtorch's pool with indices is a scalar loop (~48 ms for (64, 128, 500) on two cores). What the
/// backward pass keeps is each step's window offset (0, 1 or 2) as one byte: libtorch's pool and the gather that served
/// before keep an int64 index, eight times as large (33 MB of a FordA-size batch's (64, 128, 500) in each of six
/// modules, all alive at the start of the backward pass). A bfloat16 prediction's pool (no gradient) is here too,
/// choosing the same way (<see cref="PoolBFloat16"/>).
/// </summary>
internal sealed class PoolWindow : torch.autograd.SingleTensorFunction<PoolWindow>
{
    public override string Name => nameof(PoolWindow);

    /// <summary>Whether <paramref name="input"/> can be pooled here: contiguous float32 on the CPU of two steps or more, under 2 GiB.</summary>
    public static bool Applies(torch.Tensor input) =>
        input.dtype == torch.ScalarType.Float32 && input.device_type == DeviceType.CPU && input.dim() == 3
        && input.is_contiguous() && input.numel() * sizeof(float) <= int.MaxValue && input.shape[2] >= 2;

    /// <summary>The pooled <paramref name="input"/> (see <see cref="Applies"/>), (B, C, T) to (B, C, T), with its gradient.</summary>
    public static torch.Tensor Pool(torch.Tensor input) => apply(input);

    /// <summary>Whether <paramref name="input"/> can be pooled by <see cref="PoolBFloat16"/>: contiguous bfloat16 on the CPU of two steps or more, under 2 GiB.</summary>
    public static bool AppliesToBFloat16(torch.Tensor input) =>
        input.dtype == torch.ScalarType.BFloat16 && input.device_type == DeviceType.CPU && input.dim() == 3
        && input.is_contiguous() && input.numel() * sizeof(ushort) <= int.MaxValue && input.shape[2] >= 2;

    /// <summary>
    /// A bfloat16 prediction's pool (see <see cref="AppliesToBFloat16"/>), (B, C, T) to (B, C, T), without a gradient: the
    /// values libtorch's float32 pool gives the widened input, narrowed back (both casts are exact, so these are the
    /// same bits), in one pass over half the bytes, where widening, pooling and narrowing take three passes over 16-bit
    /// and 32-bit copies (libtorch's own bfloat16 pool is a scalar loop). The rows are split between
    /// <paramref name="threads"/> threads.
    /// </summary>
    public static torch.Tensor PoolBFloat16(torch.Tensor input, int threads)
    {
        var length = (int)input.shape[2];
        var rows = (int)(input.numel() / length);
        var pooled = torch.empty(input.shape, torch.ScalarType.BFloat16);
        void PoolRows(int part, int parts)
        {
            var x = MemoryMarshal.Cast<byte, ushort>(input.bytes);
            var y = MemoryMarshal.Cast<byte, ushort>(pooled.bytes);
            for (var row = (int)((long)rows * part / parts); row < (long)rows * (part + 1) / parts; row++)
                PoolRowBFloat16(x.Slice(row * length, length), y.Slice(row * length, length));
        }
        var parts = Math.Clamp(threads, 1, Math.Max(1, rows)); // an empty batch has no rows
        if (parts == 1)
            PoolRows(0, 1);
        else
            Parallel.For(0, parts, part => PoolRows(part, parts));
        return pooled;
    }

    public override torch.Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (torch.Tensor)vars[0];
        var (pooled, offsets) = Forward(input);
        ctx.save_for_backward([offsets]);
        return pooled;
    }

    public override List<torch.Tensor> backward(torch.autograd.AutogradContext ctx, torch.Tensor gradient) // (B, C, T)
    {
        var offsets = ctx.get_saved_variables()[0];
        using var contiguous = gradient.contiguous();
        return [Backward(contiguous, offsets)];
    }

    /// <summary>The pooled values (float32) and each step's window offset (uint8: the input step taken is t - 1 + offset), both (B, C, T).</summary>
    internal static (torch.Tensor Pooled, torch.Tensor Offsets) Forward(torch.Tensor input)
    {
        var length = (int)input.shape[2];
        var rows = (int)(input.numel() / length);
        var pooled = torch.empty(input.shape, torch.ScalarType.Float32);
        var offsets = torch.empty(input.shape, torch.ScalarType.Byte);
        var x = MemoryMarshal.Cast<byte, float>(input.bytes);
        var y = MemoryMarshal.Cast<byte, float>(pooled.bytes);
        var o = offsets.bytes;
        for (var row = 0; row < rows; row++)
        {
            var at = row * length;
            PoolRow(x.Slice(at, length), y.Slice(at, length), o.Slice(at, length));
        }
        return (pooled, offsets);
    }

    /// <summary>The input's gradient from the output's (contiguous float32) and the forward pass's offsets, both (B, C, T).</summary>
    internal static torch.Tensor Backward(torch.Tensor gradient, torch.Tensor offsets)
    {
        var length = (int)gradient.shape[2];
        var rows = (int)(gradient.numel() / length);
        var result = torch.empty(gradient.shape, torch.ScalarType.Float32);
        var g = MemoryMarshal.Cast<byte, float>(gradient.bytes);
        var o = offsets.bytes;
        var d = MemoryMarshal.Cast<byte, float>(result.bytes);
        for (var row = 0; row < rows; row++)
        {
            var at = row * length;
            BackwardRow(g.Slice(at, length), o.Slice(at, length), d.Slice(at, length));
        }
        return result;
    }

    private static void PoolRow(ReadOnlySpan<float> x, Span<float> y, Span<byte> offsets)
    {
        var length = x.Length;
        Choose(x, y, offsets, 0, 0, 1);
        Choose(x, y, offsets, length - 1, length - 2, length - 1);
        var last = length - 1 - Vector256<float>.Count; // the first step of the last whole vector of inner steps
        if (!Vector256.IsHardwareAccelerated || last < 1)
        {
            for (var t = 1; t < length - 1; t++)
                Choose(x, y, offsets, t, t - 1, t + 1);
            return;
        }
        for (var t = 1; t < last; t += Vector256<float>.Count)
            PoolVector(x, y, offsets, t);
        PoolVector(x, y, offsets, last); // the rest, overlapping the loop's last vector with the same values
    }

    // Steps t..t+7, each an inner step (a whole window): reads x[t - 1 .. t + 8], which PoolRow keeps inside the row.
    private static void PoolVector(ReadOnlySpan<float> x, Span<float> y, Span<byte> offsets, int t)
    {
        ref var first = ref MemoryMarshal.GetReference(x);
        var before = Vector256.LoadUnsafe(ref first, (nuint)(t - 1));
        var at = Vector256.LoadUnsafe(ref first, (nuint)t);
        var after = Vector256.LoadUnsafe(ref first, (nuint)(t + 1));
        Maximum(before, at, after, out var takesAt, out var takesAfter).StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)t);
        var offset = Vector256.ConditionalSelect(takesAfter.AsInt32(), Vector256.Create(2), takesAt.AsInt32() & Vector256<int>.One);
        var bytes = Vector128.Narrow(Vector128.Narrow(offset.GetLower(), offset.GetUpper()), Vector128<short>.Zero); // 8 offsets in the low bytes
        MemoryMarshal.Write(offsets.Slice(t, sizeof(long)), bytes.AsUInt64().ToScalar());
    }

    // The windows' maxima as libtorch's pool takes them: the window in order, its first step, then the middle one if
    // greater or NaN, then the last likewise.
    private static Vector256<float> Maximum(Vector256<float> before, Vector256<float> at, Vector256<float> after, out Vector256<float> takesAt, out Vector256<float> takesAfter)
    {
        takesAt = Vector256.GreaterThan(at, before) | ~Vector256.Equals(at, at);
        var maximum = Vector256.ConditionalSelect(takesAt, at, before);
        takesAfter = Vector256.GreaterThan(after, maximum) | ~Vector256.Equals(after, after);
        return Vector256.ConditionalSelect(takesAfter, after, maximum);
    }

    // Output step t: its value and window offset.
    private static void Choose(ReadOnlySpan<float> x, Span<float> y, Span<byte> offsets, int t, int first, int last)
    {
        var chosen = Chosen(x, first, last);
        y[t] = x[chosen];
        offsets[t] = (byte)(chosen - t + 1);
    }

    // The step of first..last (inclusive) that libtorch's pool takes.
    private static int Chosen(ReadOnlySpan<float> x, int first, int last)
    {
        var maximum = float.NegativeInfinity;
        var chosen = first;
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

    private static void PoolRowBFloat16(ReadOnlySpan<ushort> x, Span<ushort> y)
    {
        var length = x.Length;
        y[0] = x[ChosenBFloat16(x, 0, 1)];
        y[length - 1] = x[ChosenBFloat16(x, length - 2, length - 1)];
        var last = length - 1 - Vector256<ushort>.Count; // as in PoolRow, sixteen steps a vector
        if (!Vector256.IsHardwareAccelerated || last < 1)
        {
            for (var t = 1; t < length - 1; t++)
                y[t] = x[ChosenBFloat16(x, t - 1, t + 1)];
            return;
        }
        for (var t = 1; t < last; t += Vector256<ushort>.Count)
            PoolVectorBFloat16(x, y, t);
        PoolVectorBFloat16(x, y, last);
    }

    // Steps t..t+15, each an inner step, compared as float32 (a bfloat16 is the top half of its float32).
    private static void PoolVectorBFloat16(ReadOnlySpan<ushort> x, Span<ushort> y, int t)
    {
        ref var first = ref MemoryMarshal.GetReference(x);
        var (beforeLow, beforeHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref first, (nuint)(t - 1)));
        var (atLow, atHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref first, (nuint)t));
        var (afterLow, afterHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref first, (nuint)(t + 1)));
        var low = Maximum(Widen(beforeLow), Widen(atLow), Widen(afterLow), out _, out _);
        var high = Maximum(Widen(beforeHigh), Widen(atHigh), Widen(afterHigh), out _, out _);
        Vector256.Narrow(Narrowed(low), Narrowed(high)).StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)t);
    }

    private static Vector256<float> Widen(Vector256<uint> bits) => Vector256.ShiftLeft(bits, 16).AsSingle();

    private static Vector256<uint> Narrowed(Vector256<float> values) => Vector256.ShiftRightLogical(values.AsUInt32(), 16);

    private static int ChosenBFloat16(ReadOnlySpan<ushort> x, int first, int last)
    {
        Span<float> window = stackalloc float[last - first + 1];
        for (var j = first; j <= last; j++)
            window[j - first] = BitConverter.Int32BitsToSingle(x[j] << 16);
        return first + Chosen(window, 0, window.Length - 1);
    }

    // dx[s] = Σ over the output steps t that took step s of g[t], summed in the order of t (as libtorch's backward
    // accumulates, so the sums are its sums): t = s - 1 took s when its offset is 2, t = s when 1, t = s + 1 when 0.
    private static void BackwardRow(ReadOnlySpan<float> g, ReadOnlySpan<byte> offsets, Span<float> dx)
    {
        var length = g.Length;
        dx[0] = BackwardStep(g, offsets, 0);
        dx[length - 1] = BackwardStep(g, offsets, length - 1);
        var last = length - 1 - Vector256<float>.Count; // as in PoolRow
        if (!Vector256.IsHardwareAccelerated || last < 1)
        {
            for (var s = 1; s < length - 1; s++)
                dx[s] = BackwardStep(g, offsets, s);
            return;
        }
        for (var s = 1; s < last; s += Vector256<float>.Count)
            BackwardVector(g, offsets, dx, s);
        BackwardVector(g, offsets, dx, last);
    }

    private static float BackwardStep(ReadOnlySpan<float> g, ReadOnlySpan<byte> offsets, int s)
    {
        var sum = 0f;
        if (s > 0 && offsets[s - 1] == 2)
            sum += g[s - 1];
        if (offsets[s] == 1)
            sum += g[s];
        if (s < g.Length - 1 && offsets[s + 1] == 0)
            sum += g[s + 1];
        return sum;
    }

    // Steps s..s+7, each an inner step: reads g and the offsets at s - 1 .. s + 8.
    private static void BackwardVector(ReadOnlySpan<float> g, ReadOnlySpan<byte> offsets, Span<float> dx, int s)
    {
        ref var first = ref MemoryMarshal.GetReference(g);
        var fromBefore = Vector256.Equals(Offsets(offsets, s - 1), Vector256.Create(2)).AsSingle() & Vector256.LoadUnsafe(ref first, (nuint)(s - 1));
        var fromAt = Vector256.Equals(Offsets(offsets, s), Vector256<int>.One).AsSingle() & Vector256.LoadUnsafe(ref first, (nuint)s);
        var fromAfter = Vector256.Equals(Offsets(offsets, s + 1), Vector256<int>.Zero).AsSingle() & Vector256.LoadUnsafe(ref first, (nuint)(s + 1));
        (Vector256<float>.Zero + fromBefore + fromAt + fromAfter).StoreUnsafe(ref MemoryMarshal.GetReference(dx), (nuint)s);
    }

    // The eight offsets from step t on, widened to int32 lanes.
    private static Vector256<int> Offsets(ReadOnlySpan<byte> offsets, int t)
    {
        var bytes = Vector128.CreateScalar(MemoryMarshal.Read<ulong>(offsets.Slice(t, sizeof(long)))).AsByte();
        var (low, high) = Vector128.Widen(Vector128.WidenLower(bytes));
        return Vector256.Create(low, high).AsInt32();
    }
}
