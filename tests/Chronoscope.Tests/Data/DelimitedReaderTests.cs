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

    [Theory]
    [InlineData("GunPoint_TEST.csv")]
    [InlineData("GunPoint_TEST")] // the UCR 2015 archive's name: no extension, commas
    public void Should_Read_Comma_Separated_Values_As_The_Same_Data_Tab_Separated(string name)
    {
        // Given GunPoint's TEST .tsv, and the same lines with commas (and a space after every other one)
        var tsvPath = TestData.File("GunPoint", "GunPoint_TEST.tsv");
        var lines = File.ReadLines(tsvPath).Select((line, i) => line.Replace("\t", i % 2 == 0 ? "," : ", ", StringComparison.Ordinal));
        using var folder = new TempFolder();
        var csvPath = folder.Write(name, string.Join("\n", lines) + "\n");

        // When both are read
        var tsv = DatasetReader.Read(tsvPath);
        var csv = DatasetReader.Read(csvPath);

        // Then they hold the same series, labels, classes and name
        Assert.Equal(FloatBits.Of(tsv.Values), FloatBits.Of(csv.Values));
        Assert.Equal(tsv.Labels, csv.Labels);
        Assert.Equal(tsv.Classes, csv.Classes);
        Assert.Equal((tsv.Count, tsv.Length), (csv.Count, csv.Length));
        Assert.Equal("GunPoint", csv.Name);
    }

    [Theory]
    [InlineData("walk,1,2\nrun,3,4\n")]     // text labels throughout
    [InlineData("A,1,2\n1,3,4\nA,5,6\n")]  // the text label again later
    [InlineData("A,1,2\n")]                // a single case
    public void Should_Not_Take_A_First_Case_For_A_Header_Unless_Only_Its_Label_Is_Text(string text)
    {
        // Given first lines whose label is text, but not alone among numbers
        using var folder = new TempFolder();
        var path = folder.Write("Cases.csv", text);

        // When it is read  Then every line is a case
        Assert.Equal(text.Count(c => c == '\n'), DatasetReader.Read(path).Count);
    }

    [Fact]
    public void Should_Keep_Comma_Separated_Labels_As_Written_Without_Quotes_And_Spaces()
    {
        // Given labels quoted, spaced, and written as 1 and 1.0, and a series padded with a trailing NaN
        using var folder = new TempFolder();
        var path = folder.Write("Labels.csv", "\"walk\", 1, 2, 3\n run ,4,5,NaN\n1,6,7,8\n1.0,9,?,10\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then labels are the text inside quotes and spaces, numbers kept as written, and the NaN rules are .tsv's
        Assert.Equal(["walk", "run", "1", "1.0"], dataset.Labels);
        Assert.Equal([3, 2, 3, 3], dataset.Lengths);
        Assert.Equal(FloatBits.Of([1f, 2, 3, 4, 5, 0, 6, 7, 8, 9, float.NaN, 10]), FloatBits.Of(dataset.Values));
    }

    [Theory]
    [InlineData("Header.csv", "label,t1,t2\n1,2,3\n", 1, "expected a finite number or ?, found \"t1\" in column 2 (a header line? the file holds only cases, one per line: the label, then the values).")]
    [InlineData("Later.csv", "1,2,3\n2,x,3\n", 2, "expected a finite number or ?, found \"x\" in column 2.")]
    [InlineData("Trailing.csv", "1,2,3\n2,4,5,\n", 2, "expected a finite number or ?, found \"\" in column 4.")]
    [InlineData("Ragged.csv", "1,2,3\n2,4\n", 2, "expected 2 values after the label (as in line 1), found 1.")]
    [InlineData("Spaces.csv", "1 2 3\n", 1, "expected a class label then comma-separated values, found one field \"1 2 3\".")]
    [InlineData("Header.tsv", "class\tt1\n1\t2\n", 1, "expected a finite number or ?, found \"t1\" in column 2 (a header line? the file holds only cases, one per line: the label, then the values).")]
    [InlineData("Numbered.csv", "label,1,2\n1,0.5,1.5\n2,2.5,3.5\n1,4,5\n", 1, "expected a case, found what looks like a header: its label \"label\" is the only one that is not a number, and no other line has it; remove the line.")]
    [InlineData("Numbered.tsv", "class\t0\t1\n-1\t0.5\t1.5\n1\t2.5\t3.5\n", 1, "expected a case, found what looks like a header: its label \"class\" is the only one that is not a number, and no other line has it; remove the line.")]
    public void Should_Name_The_Line_And_Column_Of_A_Malformed_Comma_Separated_File(string name, string text, long line, string problem)
    {
        // Given a delimited file with a header (of names or of numbered columns), a bad value, an empty last field, a short line or no commas
        using var folder = new TempFolder();
        var path = folder.Write(name, text);

        // When it is read  Then the error names the line and says what was expected; only a first line is taken for a header
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));
        Assert.Equal(line, error.Line);
        Assert.Equal(problem, error.Problem);
    }
}
