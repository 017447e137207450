using System.Globalization;
using System.Text;

namespace Chronoscope.Benchmarks;

/// <summary>
/// Writes large dataset files in the archive's formats, the same bytes for the same arguments: series are
/// mean-reverting random walks driven by SplitMix64 (stable across runtimes, unlike an unseeded Random),
/// each value written with 7 decimals like <c>-0.1234567</c>.
/// </summary>
internal static class SyntheticDatasets
{
    private static readonly string[] UnivariateClasses = ["-1", "1"];
    private static readonly string[] MultivariateClasses = ["Standing", "Running", "Walking", "Badminton"];

    /// <summary>A FordA-like univariate ARFF: length 500, classes -1/1, series until the file reaches <paramref name="targetBytes"/>.</summary>
    public static int WriteUnivariateArff(string path, long targetBytes, int length = 500, ulong seed = 42)
    {
        var header = new StringBuilder();
        header.Append("% Synthetic FordA-like data written by Chronoscope.Benchmarks (deterministic).\n");
        header.Append("@relation SyntheticUnivariate\n");
        for (var t = 1; t <= length; t++)
            header.Append(CultureInfo.InvariantCulture, $"@attribute att{t} numeric\n");
        header.Append("@attribute target {-1,1}\n\n@data\n");
        return Write(path, targetBytes, header.ToString(), seed, dimensions: 1, length, (line, random) =>
        {
            WriteSeries(line, random, length, (byte)',');
            line.Add((byte)',');
            line.AddRange(Encoding.ASCII.GetBytes(UnivariateClasses[random.Next(UnivariateClasses.Length)]));
        });
    }

    /// <summary>A UEA-like multivariate .ts: 6 dimensions of length 400, 4 string classes.</summary>
    public static int WriteMultivariateTs(string path, long targetBytes, int dimensions = 6, int length = 400, ulong seed = 43)
    {
        var header =
            "# Synthetic UEA-like data written by Chronoscope.Benchmarks (deterministic).\n" +
            "@problemName SyntheticMultivariate\n@timeStamps false\n@missing false\n@univariate false\n" +
            $"@dimensions {dimensions}\n@equalLength true\n@seriesLength {length}\n" +
            $"@classLabel true {string.Join(' ', MultivariateClasses)}\n@data\n";
        return Write(path, targetBytes, header, seed, dimensions, length, (line, random) =>
        {
            for (var c = 0; c < dimensions; c++)
            {
                WriteSeries(line, random, length, (byte)',');
                line.Add((byte)':');
            }
            line.AddRange(Encoding.ASCII.GetBytes(MultivariateClasses[random.Next(MultivariateClasses.Length)]));
        });
    }

    private static int Write(string path, long targetBytes, string header, ulong seed, int dimensions, int length,
        Action<List<byte>, SplitMix64> writeCase)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var random = new SplitMix64(seed);
        var series = 0;
        var line = new List<byte>(dimensions * length * 12);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(Encoding.ASCII.GetBytes(header));
            while (stream.Position < targetBytes)
            {
                line.Clear();
                writeCase(line, random);
                line.Add((byte)'\n');
                stream.Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line));
                series++;
            }
        }
        File.Move(temporary, path, overwrite: true);
        return series;
    }

    private static void WriteSeries(List<byte> line, SplitMix64 random, int length, byte separator)
    {
        Span<byte> text = stackalloc byte[32];
        var x = random.NextDouble() * 2 - 1;
        for (var t = 0; t < length; t++)
        {
            x = 0.95 * x + 0.3 * (random.NextDouble() * 2 - 1);
            if (t > 0)
                line.Add(separator);
            x.TryFormat(text, out var written, "F7", CultureInfo.InvariantCulture);
            foreach (var b in text[..written])
                line.Add(b);
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence everywhere.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextUInt64()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        public int Next(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);
    }
}
