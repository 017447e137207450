using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>.ts files as aeon and sktime write and ship them, beyond the archive's own.</summary>
public sealed class TsCompatibilityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Should_Read_A_Ts_File_Whose_Header_Comments_Start_With_Percent()
    {
        // Given a header in the style of aeon's UnitTest files: '%' comment lines among the tags
        var path = _folder.Write("UnitTest_TRAIN.ts",
            "% This is a comment\n%\n% another one\n@problemName UnitTest\n@timeStamps false\n% between tags\n@univariate true\n@equalLength true\n@seriesLength 3\n@classLabel true 1 2\n@data\n1,2,3:1\n4,5,6:2\n");

        var data = DatasetReader.Read(path);

        Assert.Equal(2, data.Count);
        Assert.Equal(3, data.Length);
        Assert.Equal(["1", "2"], data.Labels);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], data.Values.ToArray());
    }

    [Fact]
    public void Should_Refuse_An_Old_Style_Regression_Header_As_Regression()
    {
        var path = _folder.Write("Reg_TRAIN.ts",
            "@problemName Reg\n@problemType regression\n@univariate true\n@equalLength true\n@seriesLength 2\n@classLabel true numeric\n@data\n1,2:46.3\n");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Equal(2, error.Line);
        Assert.Equal("expected a classification problem, found @problemType \"regression\": regression is not supported.", error.Problem);
    }
}
