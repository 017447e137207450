namespace Chronoscope.Tests.TestSupport;

/// <summary>Floats as their IEEE bits, so that equality is bit for bit (NaN equals NaN, -0 differs from 0).</summary>
internal static class FloatBits
{
    public static uint[] Of(ReadOnlySpan<float> values)
    {
        var bits = new uint[values.Length];
        for (var i = 0; i < values.Length; i++)
            bits[i] = BitConverter.SingleToUInt32Bits(values[i]);
        return bits;
    }
}
