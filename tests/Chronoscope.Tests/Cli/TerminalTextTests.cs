using Chronoscope.Cli;
using Chronoscope.Cli.Output;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("\u001b[2Jgone", "\\x1B[2Jgone")]
    [InlineData("bell\u0007", "bell\\x07")]
    [InlineData("a\rb\nc\td", "a\\x0Db\\x0Ac\td")]
    [InlineData("c1\u009b31m", "c1\\x9B31m")]
    [InlineData("del\u007f", "del\\x7F")]
    public void Should_Escape_Control_Characters_And_Keep_Everything_Else(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public async Task Should_Never_Send_A_Control_Character_From_A_Data_File_To_The_Terminal()
    {
        // Given a .ts file whose class labels and problem name carry ESC and BEL sequences
        using var folder = new TempFolder();
        var path = folder.Write("evil.ts", "@problemName \u001b]0;owned\u0007evil\n@univariate true\n@equalLength true\n@seriesLength 2\n@classLabel true \u001b[31ma b\n@data\n1,2:\u001b[31ma\n3,4:b\n1,2:zz\u001b[2J\n");

        var (_, infoOutput, infoError) = await CliRunner.RunAsync(["datasets", "info", path], folder.Combine("cache"));
        var bad = folder.Write("bad.ts", "@problemName x\n@classLabel true a\n@data\n1,2:\u001b[2Jq\n");
        var (code, _, error) = await CliRunner.RunAsync(["datasets", "info", bad], folder.Combine("cache"));

        Assert.Equal(ExitCodes.Failure, code);
        foreach (var text in (string[])[infoOutput, infoError, error])
            Assert.DoesNotContain(text, c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t');
        Assert.Contains("\\x1B", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Align_Columns_By_Terminal_Cells_When_Labels_Are_Wide_Or_Combining()
    {
        // Given class labels of CJK characters (two terminal cells each), one with a combining accent (none), and ASCII
        using var folder = new TempFolder();
        var path = folder.Write("wide_TRAIN.tsv", "猫\t0.1\t0.2\n犬犬\t0.3\t0.2\ne\u0301t\u00e9\t0.1\t0.4\ncat\t0.2\t0.1\n");

        // When it is described with the output redirected
        var (code, output, _) = await CliRunner.RunAsync(["datasets", "info", path], folder.Combine("cache"));

        // Then each class row's count ends in the same terminal column (a CJK character 2 cells, a combining mark 0)
        Assert.Equal(ExitCodes.Success, code);
        var ends = output.Split('\n').Where(line => line.StartsWith("class ", StringComparison.Ordinal))
            .Select(line => line.TrimEnd().Sum(c => c is >= '\u4e00' and <= '\u9fff' ? 2 : c == '\u0301' ? 0 : 1)).ToList();
        Assert.Equal(4, ends.Count);
        Assert.Single(ends.Distinct());
    }
}
