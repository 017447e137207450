using System.Text;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class DatasetReaderTests
{
    [Theory]
    [InlineData("a/GunPoint_TRAIN.arff", DatasetFormat.Arff)]
    [InlineData("GunPoint_TRAIN.ARFF", DatasetFormat.Arff)]
    [InlineData("x.Ts", DatasetFormat.Ts)]
    [InlineData("x.TSV", DatasetFormat.Tsv)]
    [InlineData("dir.with.dots/x.txt", DatasetFormat.Txt)]
    [InlineData("x.CSV", DatasetFormat.Csv)]
    public void Should_Detect_The_Format_From_The_Extension_Ignoring_Case(string path, DatasetFormat format)
    {
        // Given a path  When its format is detected  Then the extension decides, whatever its case
        Assert.Equal(format, DatasetReader.DetectFormat(path));
    }

    [Theory]
    [InlineData("data/x.dat")]
    [InlineData("data/x.v2_TRAIN")]
    public void Should_Name_The_Known_Extensions_And_The_Override_For_An_Unknown_One(string path)
    {
        // Given a path with an extension no reader knows
        // When its format is detected
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.DetectFormat(path));

        // Then the message names the file, the known extensions, the extension found and ReadOptions.Format
        Assert.Null(error.Line);
        Assert.Equal($"{path}: expected a file ending in .arff, .ts, .tsv, .txt or .csv (or without an extension, read by its first line), "
            + $"found \"{Path.GetExtension(path)}\"; rename it, or in C# set ReadOptions.Format to read it as one of these formats.", error.Message);
    }

    [Theory]
    [InlineData("% a comment\n@RELATION x\n", DatasetFormat.Arff)]
    [InlineData("\n\n  @relation 'x'\n@attribute t1 numeric\n", DatasetFormat.Arff)]
    [InlineData("# comment\n@problemName x\n", DatasetFormat.Ts)]
    [InlineData("@problemName x\n@timeStamps false\n", DatasetFormat.Ts)]
    [InlineData("\r\n1\t0.5\t1.5\r\n", DatasetFormat.Tsv)]
    [InlineData("\uFEFF1,0.5,1.5\n", DatasetFormat.Csv)]
    [InlineData("   1.0000000e+00   5.0000000e-01\n", DatasetFormat.Txt)]
    [InlineData("", DatasetFormat.Txt)]
    public void Should_Detect_The_Format_Of_A_File_Without_An_Extension_From_Its_First_Line(string text, DatasetFormat format)
    {
        // Given a file named as the UCR 2015 archive names its files, without an extension
        using var folder = new TempFolder();
        var path = folder.Write("Sample_TRAIN", text);

        // When its format is detected  Then its first line that is not blank decides
        Assert.Equal(format, DatasetReader.DetectFormat(path));
    }

    [Fact]
    public void Should_Say_That_A_Missing_File_Without_An_Extension_Does_Not_Exist()
    {
        // Given a path without an extension where no file is
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "Missing_TRAIN");

        // When it is read  Then the error is the missing file, not its format
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));
        Assert.Equal($"{path}: expected a dataset file, found nothing: the file does not exist.", error.Message);
    }

    [Theory]
    [InlineData("GunPoint.zip")]
    [InlineData("GunPoint.tar.gz")]
    public void Should_Say_Extract_It_First_For_An_Archive_Extension(string name)
    {
        // Given a compressed archive's name  When its format is detected  Then the hint is to extract it
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.DetectFormat(name));
        Assert.Contains("extract it first", error.Message);
    }

    [Fact]
    public void Should_Read_An_Unknown_Extension_With_The_Format_Option()
    {
        // Given a tab-separated file named .dat
        using var folder = new TempFolder();
        var path = folder.Write("Sample.dat", "1\t0.5\t1.5\n2\t2.5\t3.5\n");

        // When it is read with Format = Tsv
        var dataset = DatasetReader.Read(path, new ReadOptions { Format = DatasetFormat.Tsv });

        // Then it reads as .tsv
        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f], dataset.Values.ToArray());
        Assert.Equal("Sample", dataset.Name);
    }

    [Fact]
    public void Should_Let_The_Format_Option_Override_A_Known_Extension()
    {
        // Given a .txt file that is really tab-separated with a non-numeric label
        using var folder = new TempFolder();
        var path = folder.Write("Mislabelled.txt", "cat\t1\t2\n");

        // When it is read as .tsv
        var dataset = DatasetReader.Read(path, new ReadOptions { Format = DatasetFormat.Tsv });

        // Then the label stays a string, which the .txt rules would have refused
        Assert.Equal(["cat"], dataset.Labels);
    }

    [Theory]
    [InlineData("@problemName FromHeader\n", null, "FromHeader")]
    [InlineData("@problemName FromHeader_TRAIN\n", null, "FromHeader")]
    [InlineData("", null, "File")]
    [InlineData("@problemName FromHeader\n", "Given", "Given")]
    public void Should_Name_The_Dataset_By_Option_Then_Header_Then_File_Name(string nameTag, string? option, string expected)
    {
        // Given a .ts file named File_TEST.ts, with or without @problemName, and maybe a name option
        using var folder = new TempFolder();
        var path = folder.Write("File_TEST.ts", $"{nameTag}@univariate true\n@classLabel true 1\n@data\n1,2:1\n");

        // When it is read
        var dataset = DatasetReader.Read(path, new ReadOptions { Name = option });

        // Then the option wins, then the header, then the file name; _TRAIN/_TEST are not part of a dataset's name
        Assert.Equal(expected, dataset.Name);
    }

    [Fact]
    public void Should_Order_Numeric_Labels_By_Value()
    {
        // Given labels 10, 2, -1 and 2
        using var folder = new TempFolder();
        var path = folder.Write("Numbers.tsv", "10\t1\n2\t2\n-1\t3\n2\t4\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then -1 comes before 2, and 2 before 10, and each series points at its class
        Assert.Equal(["-1", "2", "10"], dataset.Classes);
        Assert.Equal([2, 1, 0, 1], dataset.LabelIndices);
    }

    [Fact]
    public void Should_Order_Other_Labels_Ordinally()
    {
        // Given labels b, a, B and a number-like 1
        using var folder = new TempFolder();
        var path = folder.Write("Words.tsv", "b\t1\na\t2\nB\t3\n1\t4\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the order is ordinal (by UTF-16 code unit)
        Assert.Equal(["1", "B", "a", "b"], dataset.Classes);
    }

    [Theory]
    [InlineData("ts", "@problemName P\n@univariate true\n@classLabel true 1 2\n@data\n1,2:1\n3,4:2\n")]
    [InlineData("tsv", "1\t1\t2\n2\t3\t4\n")]
    [InlineData("txt", "1 1 2\n2 3 4\n")]
    public void Should_Read_Every_Format_With_Byte_Order_Mark_And_Crlf(string extension, string text)
    {
        // Given a file with a UTF-8 BOM, CRLF line ends, trailing spaces and no final newline
        using var folder = new TempFolder();
        var windows = string.Join("\r\n", text.TrimEnd('\n').Split('\n').Select(line => line + "  "));
        var path = folder.Write($"P.{extension}", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(windows)]);

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the values and labels are those of the plain text
        Assert.Equal([1f, 2, 3, 4], dataset.Values.ToArray());
        Assert.Equal(["1", "2"], dataset.Labels);
    }

    [Fact]
    public void Should_Read_A_Line_Longer_Than_The_Read_Buffer()
    {
        // Given a .tsv whose lines hold 400,000 values (about 3.6 MB each, more than the 1 MiB buffer)
        using var folder = new TempFolder();
        const int length = 400_000;
        var line = string.Join('\t', Enumerable.Range(0, length).Select(i => (i % 1000 * 0.001).ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
        var path = folder.Write("Long.tsv", $"1\t{line}\n2\t{line}\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then both series are whole
        Assert.Equal((2, length), (dataset.Count, dataset.Length));
        Assert.Equal(0.999f, dataset.Values[999]);
        Assert.Equal(0.123f, dataset.Values[length + 123]);
    }

    [Fact]
    public void Should_Pool_Train_And_Test_With_The_Classes_Of_Both()
    {
        // Given a TRAIN and a TEST file of one dataset
        using var folder = new TempFolder();
        var train = DatasetReader.Read(folder.Write("D_TRAIN.tsv", "1\t1\t2\n"));
        var test = DatasetReader.Read(folder.Write("D_TEST.tsv", "2\t3\t4\n"));

        // When they are pooled
        var pooled = TimeSeriesDataset.Concatenate("D", [train, test]);

        // Then the series follow each other and both sources are kept
        Assert.Equal([1f, 2, 3, 4], pooled.Values.ToArray());
        Assert.Equal(["1", "2"], pooled.Classes);
        Assert.Equal([train.Sources[0], test.Sources[0]], pooled.Sources);
    }
}
