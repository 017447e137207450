using System.Globalization;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class DelimitedReaderTests
{
    [Theory]
    [InlineData(PaddingValue.Zero)]
    [InlineData(PaddingValue.NaN)]
    public void Should_Treat_Trailing_NaNs_As_Padding_And_Earlier_NaNs_As_Missing(PaddingValue padding)
    {
        // Given a UCR 2018 .tsv padded with NaN to 4 columns: true lengths 3, 3 and 1, one NaN inside a series
        using var folder = new TempFolder();
        var path = folder.Write("Padded_TRAIN.tsv", "1\t1\t2\t3\tNaN\n2\t4\tNaN\t6\tNaN\n1\t7\tNaN\tNaN\tNaN\n");

        // When it is read
        var dataset = DatasetReader.Read(path, new ReadOptions { Padding = padding });

        // Then the lengths end at the last number, the column no series reaches is dropped, and only the inner NaN is missing
        var p = padding == PaddingValue.NaN ? float.NaN : 0f;
        Assert.Equal("Padded", dataset.Name);
        Assert.Equal(3, dataset.Length);
        Assert.Equal([3, 3, 1], dataset.Lengths);
        Assert.Equal(FloatBits.Of([1, 2, 3, 4, float.NaN, 6, 7, p, p]), FloatBits.Of(dataset.Values));
        Assert.Equal(1, dataset.MissingValueCount);
    }

    [Fact]
    public void Should_Keep_The_Column_Count_When_Some_Series_Reaches_It()
    {
        // Given series of lengths 2 and 3 in 3 columns
        using var folder = new TempFolder();
        var path = folder.Write("Some.tsv", "a\t1\t2\tNaN\nb\t3\t4\t5\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the length stays 3 and the padding is zero
        Assert.Equal(3, dataset.Length);
        Assert.Equal([2, 3], dataset.Lengths);
        Assert.Equal([1f, 2, 0, 3, 4, 5], dataset.Values.ToArray());
    }

    [Fact]
    public void Should_Turn_Legacy_Float_Labels_Into_Their_Shortest_Form()
    {
        // Given a legacy .txt: leading spaces, runs of spaces, a tab, scientific notation, float labels
        using var folder = new TempFolder();
        var path = folder.Write("Legacy_TEST.txt",
            "   2.0000000e+00   1.0000000e+00  -2.5000000e-01\n" +
            "  -1.0000000e+00\t3.5e0 \t 4\n" +
            "1.5e+00 5 6   \n" +
            "1.0000000e+01 7 8\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then integral labels are integer strings, others keep their shortest form, the vocabulary is numeric
        Assert.Equal("Legacy", dataset.Name);
        Assert.Equal(["2", "-1", "1.5", "10"], dataset.Labels);
        Assert.Equal(["-1", "1.5", "2", "10"], dataset.Classes);
        Assert.Equal([1f, -0.25f, 3.5f, 4, 5, 6, 7, 8], dataset.Values.ToArray());
    }

    [Fact]
    public void Should_Read_Legacy_Text_Values_As_The_Runtime_Parses_Them()
    {
        // Given GunPoint's legacy TRAIN .txt and a plain reader of it (split on spaces, float.Parse)
        var path = TestData.File("GunPoint", "GunPoint_TRAIN.txt");
        var rows = File.ReadLines(path).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(r => r.Length > 0).ToList();
        var expected = rows.SelectMany(r => r.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the values agree bit for bit and the labels are 1 and 2, not 1.0000000e+00
        Assert.Equal(FloatBits.Of(expected), FloatBits.Of(dataset.Values));
        Assert.All(dataset.Labels!, label => Assert.Contains(label, new[] { "1", "2" }));
    }
}
