using System.Text;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>
/// Bad input never crashes a reader with an index, null or format exception: every small valid file, cut
/// at every byte and with every byte replaced by each separator-like character, either reads into a
/// consistent dataset or fails with a <see cref="DatasetFormatException"/> that names the file.
/// </summary>
public sealed class MalformedInputTests
{
    // Bytes that carry structure in one format or another (separators, quotes, comments, tags, escapes).
    private static readonly byte[] Replacements = ",:\n?x'(@%\\\t{"u8.ToArray();

    public static TheoryData<string, string> ValidFiles => new()
    {
        { "u.arff", "@relation u\n@attribute a numeric\n@attribute b numeric\n@attribute c {1,'two'}\n@data\n1.5,-2e1,1\n?,3,'two'\n" },
        { "r.arff", "@relation r\n@attribute s relational\n@attribute t0 numeric\n@attribute t1 numeric\n@end s\n@attribute c {a,b}\n@data\n'1,2\\n3,4',a\n\"5,?\\n7,8\",b\n" },
        { "m.ts", "#c\n@problemName m\n@univariate false\n@dimensions 2\n@equalLength true\n@seriesLength 2\n@classLabel true a b\n@data\n1,2:3,4:a\n5,?:7,8:b\n" },
        { "v.ts", "@problemName v\n@timeStamps true\n@equalLength false\n@classLabel false\n@data\n(0,1),(1,2):(0,3)\n(2000-01-01 00:00:00,4):(1,5)\n" },
        { "p.tsv", "1\t0.5\t1.5\tNaN\n-1\t2.5\t?\t3.5\n" },
        { "l.txt", "  1.0000000e+00  2.5e-01 -3\n  2.0000000e+00\t4 5\n" },
    };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Should_Only_Ever_Throw_Dataset_Format_Exceptions(string name, string text)
    {
        // Given a valid file, and every truncation and single-byte replacement of it
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, name);
        var original = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(path, original);
        var dataset = DatasetReader.Read(path);
        Assert.True(dataset.Count >= 2);

        var variants = new List<byte[]>();
        for (var cut = 0; cut < original.Length; cut++)
            variants.Add(original[..cut]);
        for (var position = 0; position < original.Length; position++)
        {
            foreach (var replacement in Replacements)
            {
                if (original[position] == replacement)
                    continue;
                var changed = (byte[])original.Clone();
                changed[position] = replacement;
                variants.Add(changed);
            }
        }

        // When each is read
        var failures = new List<string>();
        var readable = 0;
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            // A new file each time: rewriting one file in place makes ext4 flush it to disk on every close.
            path = Path.Combine(folder.Path, $"{i}{name}");
            File.WriteAllBytes(path, variant);
            try
            {
                var read = DatasetReader.Read(path);
                CheckConsistent(read);
                readable++;
            }
            catch (DatasetFormatException e) when (e.Path == path && e.Message.StartsWith(path, StringComparison.Ordinal))
            {
            }
            catch (Exception e)
            {
                failures.Add($"{Encoding.UTF8.GetString(variant).Replace("\n", "⏎")} → {e.GetType().Name}: {e.Message}");
            }
        }

        // Then none crashed, and some variants were still readable (the mutations are not all fatal)
        Assert.Empty(failures);
        Assert.InRange(readable, 1, variants.Count - 1);
    }

    private static void CheckConsistent(TimeSeriesDataset dataset)
    {
        Assert.Equal((long)dataset.Count * dataset.Channels * dataset.Length, dataset.Values.Length);
        Assert.All(dataset.Lengths, length => Assert.InRange(length, 1, dataset.Length));
        if (dataset.Labels is not null)
        {
            Assert.Equal(dataset.Count, dataset.Labels.Count);
            Assert.All(dataset.Labels, label => Assert.Contains(label, dataset.Classes));
        }
    }
}
