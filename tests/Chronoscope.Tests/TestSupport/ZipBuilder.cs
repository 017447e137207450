using System.IO.Compression;

namespace Chronoscope.Tests.TestSupport;

/// <summary>Builds zip archives in memory for the download tests.</summary>
internal static class ZipBuilder
{
    public static byte[] Create(params (string EntryName, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                var entry = zip.CreateEntry(entryName, CompressionLevel.Fastest);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return memory.ToArray();
    }

    /// <summary>The GunPoint ARFF pair under <paramref name="prefix"/> (e.g. "" or "GunPoint/").</summary>
    public static byte[] GunPoint(string prefix = "", bool includeTest = true)
    {
        var entries = new List<(string, byte[])> { ($"{prefix}GunPoint_TRAIN.arff", File.ReadAllBytes(TestData.GunPointTrainArff)) };
        if (includeTest)
            entries.Add(($"{prefix}GunPoint_TEST.arff", File.ReadAllBytes(TestData.GunPointTestArff)));
        return Create([.. entries]);
    }
}
