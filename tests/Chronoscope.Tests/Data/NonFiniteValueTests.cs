using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>One rule for every spelling of a value a float cannot hold, in every format: an error naming file, line and column.</summary>
public sealed class NonFiniteValueTests : IDisposable
{
    private const string ArffHeader = "@relation x\n@attribute a1 numeric\n@attribute a2 numeric\n@attribute a3 numeric\n@attribute class {1,2}\n@data\n";
    private const string TsHeader = "@problemName x\n@univariate true\n@equalLength true\n@seriesLength 3\n@classLabel true 1 2\n@data\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Spellings() => ["Infinity", "-Infinity", "inf", "-inf", "1e309", "-1e309", "3.5e38", "-3.5e38", "1e39", "∞"];

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Should_Refuse_A_Non_Finite_Or_Overflowing_Value_In_Every_Format_Naming_Line_And_Column(string value)
    {
        (string Name, string Text, long Line, string Where)[] files =
        [
            ("x.arff", ArffHeader + $"1,{value},3,1\n", 7, "column 2"),
            ("x.ts", TsHeader + $"1,{value},3:1\n", 7, "dimension 1, column 2"),
            ("x.tsv", $"1\t1\t{value}\t3\n", 1, "column 3"),
            ("x.txt", $"1 1 {value} 3\n", 1, "column 3"),
        ];
        foreach (var (name, text, line, where) in files)
        {
            var path = _folder.Write(name, text);

            var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

            Assert.Equal(line, error.Line);
            Assert.Contains("expected a finite number or ?", error.Problem, StringComparison.Ordinal);
            Assert.Contains(where, error.Problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Should_Read_A_Non_Finite_Or_Overflowing_Value_As_A_Missing_Value_In_Every_Format_When_Asked(string value)
    {
        // Given the value in the middle of a three-step series (so the .tsv/.txt rule on trailing NaNs does not apply)
        (string Name, string Text)[] files =
        [
            ("x.arff", ArffHeader + $"1,{value},3,1\n"),
            ("x.ts", TsHeader + $"1,{value},3:1\n"),
            ("x.tsv", $"1\t1\t{value}\t3\n"),
            ("x.txt", $"1 1 {value} 3\n"),
        ];
        foreach (var (name, text) in files)
        {
            var path = _folder.Write(name, text);

            var data = DatasetReader.Read(path, new ReadOptions { NonFiniteAsMissing = true });

            // Then it is a missing value (NaN, as ?) and the series keeps its three steps
            Assert.Equal([1f, float.NaN, 3f], data.Values.ToArray());
            Assert.Equal(1, data.MissingValueCount);
            Assert.Equal(3, data.Lengths[0]);
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1..5")]
    public void Should_Still_Refuse_What_Is_Not_A_Number_When_Non_Finite_Values_Are_Missing(string value)
    {
        var path = _folder.Write("x.tsv", $"1\t1\t{value}\t3\n");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path, new ReadOptions { NonFiniteAsMissing = true }));

        Assert.Contains("column 3", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.4028235e38", 3.4028235e38f)] // float's largest value is still a value
    [InlineData("-1e-46", -0f)]                 // underflow to zero is not an overflow
    [InlineData("NaN", float.NaN)]              // NaN is a missing value, as ?
    public void Should_Accept_The_Extremes_A_Float_Can_Hold(string value, float expected)
    {
        var path = _folder.Write("x.tsv", $"1\t1\t{value}\t3\n");

        var data = DatasetReader.Read(path);

        Assert.Equal(expected, data.Values[1]);
    }
}
