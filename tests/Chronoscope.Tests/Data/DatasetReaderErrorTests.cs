using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>Each kind of bad input, each in its own small file: the error names the file, the line, what was expected and found.</summary>
public sealed class DatasetReaderErrorTests : IDisposable
{
    private const string ArffHeader = "@relation x\n@attribute a1 numeric\n@attribute a2 numeric\n@attribute a3 numeric\n@attribute class {1,2}\n@data\n";
    private const string TsHeader = "@problemName x\n@univariate true\n@equalLength true\n@seriesLength 3\n@classLabel true 1 2\n@data\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("x.arff", "expected an ARFF header (@relation, @attribute ..., @data), found an empty file.")]
    [InlineData("x.ts", "expected a .ts header (@problemName, @classLabel ..., @data), found an empty file.")]
    [InlineData("x.tsv", "expected lines of a class label then values, found an empty file.")]
    [InlineData("x.txt", "expected lines of a class label then values, found an empty file.")]
    public void Should_Report_An_Empty_File(string name, string problem)
        => AssertError(_folder.Write(name, ""), 1, problem);

    [Fact]
    public void Should_Report_A_File_Of_Blank_Lines()
        => AssertError(_folder.Write("x.tsv", "\n  \n"), 2, "expected lines of a class label then values, found only blank lines.");

    [Theory]
    [InlineData("x.arff", "@relation x\n@attribute a numeric\n@attribute c {1}\n", 3)]
    [InlineData("x.ts", "@problemName x\n@classLabel true 1\n", 2)]
    public void Should_Report_A_Header_Without_Data(string name, string text, long line)
        => AssertError(_folder.Write(name, text), line, "expected @data after the header, found the end of the file.");

    [Fact]
    public void Should_Report_Data_Before_The_Arff_Header()
        => AssertError(_folder.Write("x.arff", "% comment\n1,2,3,1\n@relation x\n"), 2,
            "expected the ARFF header (@relation, @attribute ..., @data) before the data, found \"1,2,3,1\".");

    [Fact]
    public void Should_Report_Data_Before_The_Ts_Header()
        => AssertError(_folder.Write("x.ts", "# comment\n1,2,3:1\n@data\n"), 2,
            "expected the .ts header (@problemName, @classLabel ..., @data) before the data, found \"1,2,3:1\".");

    [Fact]
    public void Should_Report_Data_Without_Class_Label_Tag()
        => AssertError(_folder.Write("x.ts", "@problemName x\n@data\n1,2:1\n"), 2,
            "expected @classLabel true <labels...> or @classLabel false before @data, found neither.");

    [Fact]
    public void Should_Report_A_Wrong_Value_Count_In_Arff()
        => AssertError(_folder.Write("x.arff", ArffHeader + "1,2,3,1\n1,2,1\n"), 8,
            "expected 4 comma-separated fields (3 values from the numeric @attribute lines, then the class label), found 3.");

    [Fact]
    public void Should_Report_Too_Many_Values_In_Arff()
        => AssertError(_folder.Write("x.arff", ArffHeader + "1,2,3,4,1\n"), 7,
            "expected 4 comma-separated fields (3 values from the numeric @attribute lines, then the class label), found 5.");

    [Fact]
    public void Should_Report_A_Wrong_Value_Count_In_Ts()
        => AssertError(_folder.Write("x.ts", TsHeader + "1,2,3:1\n1,2,3,4:2\n"), 8,
            "expected 3 values per dimension (from @seriesLength), found 4.");

    [Fact]
    public void Should_Report_A_Wrong_Value_Count_In_Tsv()
        => AssertError(_folder.Write("x.tsv", "1\t1\t2\t3\n2\t1\t2\n"), 2, "expected 3 values after the label (as in line 1), found 2.");

    [Fact]
    public void Should_Quote_A_Non_Numeric_Value_And_Its_Column()
    {
        // Given an ARFF with 20 values per case whose 17th is "abc"
        var header = "@relation x\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"@attribute a{i} numeric\n")) + "@attribute c {1,2}\n@data\n";
        var values = Enumerable.Range(1, 20).Select(i => i == 17 ? "abc" : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = _folder.Write("x.arff", header + string.Join(',', values) + ",1\n");

        // When it is read  Then the message quotes the text and its column
        AssertError(path, 24, "expected a finite number or ?, found \"abc\" in column 17.");
    }

    [Theory]
    [InlineData("x.ts", TsHeader + "1,2,abc:1\n", 7, "expected a finite number or ?, found \"abc\" in dimension 1, column 3.")]
    [InlineData("x.tsv", "1\t1\tabc\n", 1, "expected a finite number or ?, found \"abc\" in column 3.")]
    [InlineData("x.txt", "1 1 abc\n", 1, "expected a finite number or ?, found \"abc\" in column 3.")]
    [InlineData("x.txt", "one 1 2\n", 1, "expected the class label as a number in column 1, found \"one\".")]
    [InlineData("x.tsv", "1 2 3\n", 1, "expected a class label then tab-separated values, found one field \"1 2 3\" (is it space-separated? then read it as DatasetFormat.Txt).")]
    public void Should_Quote_A_Non_Numeric_Value_In_Every_Format(string name, string text, long line, string problem)
        => AssertError(_folder.Write(name, text), line, problem);

    [Fact]
    public void Should_Report_An_Undeclared_Arff_Label()
        => AssertError(_folder.Write("x.arff", ArffHeader + "1,2,3,1\n1,2,3,3\n"), 8,
            "expected a class declared in @attribute class {1,2}, found \"3\".");

    [Fact]
    public void Should_Report_An_Undeclared_Ts_Label()
        => AssertError(_folder.Write("x.ts", TsHeader + "1,2,3:1\n1,2,3:7\n"), 8, "expected a class declared by @classLabel (1, 2), found \"7\".");

    [Fact]
    public void Should_Report_Inconsistent_Channel_Counts_In_Ts()
        => AssertError(_folder.Write("x.ts", "@problemName x\n@univariate false\n@classLabel true 1\n@data\n1,2:3,4:1\n\n1,2:3,4:5,6:1\n"), 7,
            "expected 2 dimensions (as in line 5), found 3.");

    [Fact]
    public void Should_Report_Inconsistent_Channel_Counts_In_Relational_Arff()
        => AssertError(_folder.Write("x.arff",
                "@relation x\n@attribute s relational\n@attribute t0 numeric\n@end s\n@attribute c {1}\n@data\n'1\\n2',1\n'1',1\n"), 8,
            "expected 2 dimensions (as in line 7), found 1.");

    [Theory]
    [InlineData("x.ts", TsHeader + "1,2,3\n", 7, "expected the dimensions then :<class label> (the header says @classLabel true), found no ':' and so no label.")]
    [InlineData("x.ts", TsHeader + "1,2,3:\n", 7, "expected a class label after the last ':', found nothing.")]
    [InlineData("x.arff", ArffHeader + "1,2,3,\n", 7, "expected a class label after the 3 values, found nothing.")]
    [InlineData("x.arff", ArffHeader + "1,2,3,?\n", 7, "expected a class label, found ? (a missing class); every case needs its class.")]
    [InlineData("x.tsv", "1\t1\t2\n\t1\t2\n", 2, "expected a class label in column 1, found nothing.")]
    public void Should_Report_A_Case_Without_Label(string name, string text, long line, string problem)
        => AssertError(_folder.Write(name, text), line, problem);

    [Fact]
    public void Should_Name_The_Second_File_When_Train_And_Test_Lengths_Differ()
    {
        // Given a TRAIN of length 3 and a TEST of length 2
        var train = DatasetReader.Read(_folder.Write("D_TRAIN.tsv", "1\t1\t2\t3\n"));
        var testPath = _folder.Write("D_TEST.tsv", "1\t1\t2\n");
        var test = DatasetReader.Read(testPath);

        // When they are checked or pooled
        var check = Assert.Throws<DatasetFormatException>(() => train.CheckCompatible(test));
        var pool = Assert.Throws<DatasetFormatException>(() => TimeSeriesDataset.Concatenate("D", [train, test]));

        // Then the error is about the TEST file and names the TRAIN file as the reference
        Assert.Equal(testPath, check.Path);
        Assert.Equal($"{testPath}: expected series of length 3 as in {train.Sources[0]}, found 2; the files of one dataset must have the same length.", check.Message);
        Assert.Equal(check.Message, pool.Message);
    }

    [Fact]
    public void Should_Name_The_Second_File_When_Train_And_Test_Channels_Differ()
    {
        // Given a TRAIN with 2 channels and a TEST with 1
        var train = DatasetReader.Read(_folder.Write("E_TRAIN.ts", "@univariate false\n@classLabel true 1\n@data\n1,2:3,4:1\n"));
        var testPath = _folder.Write("E_TEST.ts", "@univariate false\n@classLabel true 1\n@data\n1,2:1\n");
        var test = DatasetReader.Read(testPath);

        // When they are checked
        var error = Assert.Throws<DatasetFormatException>(() => train.CheckCompatible(test));

        // Then the TEST file is named
        Assert.Equal($"{testPath}: expected 2 channels as in {train.Sources[0]}, found 1; the files of one dataset must have the same channels.", error.Message);
    }

    [Fact]
    public void Should_Refuse_A_Binary_File_At_Its_First_Nul_Byte()
    {
        // Given a .ts file with a NUL byte on line 3
        var path = _folder.Write("x.ts", [.. "@problemName x\n@classLabel true 1\n@da"u8, 0, .. "ta\n"u8]);

        // When it is read  Then the NUL's line is named and the file called binary
        AssertError(path, 3, "expected text, found a NUL byte: this is a binary file, not one of the text formats read here (.arff, .ts, .tsv, .txt, .csv).");
    }

    [Fact]
    public void Should_Say_Extract_It_First_For_A_Zip_File()
    {
        // Given a zip archive renamed to .arff (a local file header: PK 3 4, then binary fields)
        var path = _folder.Write("GunPoint_TRAIN.arff", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]);

        // When it is read  Then the hint is to extract it first
        AssertError(path, null, "expected a text file, found a zip archive: extract it first, then read the _TRAIN and _TEST files inside.");
    }

    [Fact]
    public void Should_Say_Extract_It_First_For_A_Gzip_File()
    {
        // Given gzip data named .tsv
        var path = _folder.Write("x.tsv", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);

        // When it is read  Then the hint is to extract it first
        AssertError(path, null, "expected a text file, found gzip-compressed data: extract it first (gunzip, tar -xzf).");
    }

    [Fact]
    public void Should_Refuse_Utf16_Text()
    {
        // Given a UTF-16 file (little-endian with its byte order mark)
        var path = _folder.Write("x.tsv", [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("1\t2\n")]);

        // When it is read  Then the fix is named
        AssertError(path, null, "expected UTF-8 text, found UTF-16 (its byte order mark): save the file as UTF-8.");
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Extension_When_Reading()
    {
        // Given a file whose extension is unknown
        var path = _folder.Write("x.dat", "1,2,3\n");

        // When it is read without a format option  Then the known extensions are listed
        AssertError(path, null, "expected a file ending in .arff, .ts, .tsv, .txt or .csv (or without an extension, read by its first line), found \".dat\"; "
            + "rename it, or in C# set ReadOptions.Format to read it as one of these formats.");
    }

    [Fact]
    public void Should_Name_The_Path_Of_A_Missing_File()
    {
        // Given a path where no file is
        var path = Path.Combine(_folder.Path, "Missing_TRAIN.ts");

        // When it is read  Then the error names the path and has no line
        AssertError(path, null, "expected a dataset file, found nothing: the file does not exist.");
    }

    [Fact]
    public void Should_Name_The_Path_Of_A_Folder()
    {
        // Given a folder named like a dataset file
        var path = Directory.CreateDirectory(Path.Combine(_folder.Path, "GunPoint.ts")).FullName;

        // When it is read  Then the error says it is a folder
        AssertError(path, null, "expected a dataset file, found a folder; name the _TRAIN or _TEST file inside it.");
    }

    [Theory]
    [InlineData("@relation x\n@attribute a string\n@attribute c {1}\n@data\n", 2, "expected numeric attributes (one per time step) before the class attribute, found string attribute a.")]
    [InlineData("@relation x\n@attribute a numeric\n@attribute c {1,2\n@data\n", 3, "expected } closing the nominal values of c, found \"{1,2\".")]
    [InlineData("@relation x\n@attribute a numeric\n@attribute c {}\n@data\n", 3, "expected nominal values like {1,2} for c, found \"{}\".")]
    [InlineData("@relation x\n@attribute a blob\n", 2, "expected an attribute type (numeric, real, integer, relational or {nominal values}), found \"blob\".")]
    [InlineData("@relation x\n@attribute s relational\n@attribute a numeric\n@data\n", 4, "expected @end s before @data, found @data.")]
    [InlineData("@relation x\n@end s\n", 2, "expected @end only to close a relational attribute, found it with none open.")]
    [InlineData("@relation x\n@frobnicate\n", 2, "expected @relation, @attribute, @end or @data, found \"@frobnicate\".")]
    [InlineData("@relation x\n@attribute a numeric\n@attribute c {1}\n@data\n{0 1, 1 1}\n", 5, "expected a case with every value, found a sparse ARFF instance ({index value, ...}), which is not supported.")]
    [InlineData("@relation x\n@attribute a numeric\n@attribute c {1}\n@data\n1,1\n@data\n", 6, "expected a case after @data, found the header line \"@data\".")]
    [InlineData("@relation x\n@attribute a numeric\n@attribute c {1}\n@data\n% only a comment\n", 5, "expected at least one case after @data, found none.")]
    public void Should_Report_Malformed_Arff_Headers_And_Cases(string text, long line, string problem)
        => AssertError(_folder.Write("x.arff", text), line, problem);

    [Theory]
    [InlineData("@univariate maybe\n", 1, "expected true or false after @univariate, found \"maybe\".")]
    [InlineData("@seriesLength -3\n", 1, "expected a positive whole number after @seriesLength, found \"-3\".")]
    [InlineData("@classLabel true\n", 1, "expected the class labels after @classLabel true, found none.")]
    [InlineData("@timeStamps true\n@classLabel true a\n@data\n1,2:a\n", 4, "expected (timestamp,value) pairs (the header says @timeStamps true), found \"1,2\" in dimension 1, column 1.")]
    [InlineData("@classLabel true a\n@data\n1,,2:a\n", 3, "expected a finite number or ?, found \"\" in dimension 1, column 2.")]
    [InlineData("@classLabel true a\n@data\n1,2::a\n", 3, "expected values in dimension 2, found none.")]
    public void Should_Report_Malformed_Ts_Headers_And_Cases(string text, long line, string problem)
        => AssertError(_folder.Write("x.ts", text), line, problem);

    private static void AssertError(string path, long? line, string problem)
    {
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));
        Assert.Equal(path, error.Path);
        Assert.Equal(line, error.Line);
        Assert.Equal(problem, error.Problem);
        Assert.Equal(line is null ? $"{path}: {problem}" : $"{path}({line}): {problem}", error.Message);
    }
}
