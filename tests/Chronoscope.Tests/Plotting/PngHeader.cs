using System.Buffers.Binary;
using SkiaSharp;

namespace Chronoscope.Tests.Plotting;

/// <summary>Reads PNG files for checks: the size from the IHDR chunk, and pixels by decoding.</summary>
internal static class PngHeader
{
    public static (int Width, int Height) Size(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(signature), "not a PNG file");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    public static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("cannot decode PNG");
}
