using System.CommandLine;
using System.CommandLine.Help;
using Chronoscope.Cli;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// Every option of every command, found by walking the command tree (so a new option is covered without a new test),
/// fed values it cannot take: each answer is one line on standard error, exit code 2, no stack trace, naming the option.
/// </summary>
public sealed class OptionParsingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>(command path, option name, value type) for every option that takes a value, every command.</summary>
    public static TheoryData<string, string, string> ValueOptions()
    {
        var data = new TheoryData<string, string, string>();
        var root = new ChronoscopeCli(new CliContext(CapturedConsole.Redirected().Console, CapturedConsole.Redirected().Console)).Root;
        Walk(root, []);
        return data;

        void Walk(Command command, string[] path)
        {
            string[] here = [.. path, command.Name];
            foreach (var option in command.Options.Where(o => o is not HelpOption and not VersionOption && o.ValueType != typeof(bool)))
                data.Add(string.Join(' ', here.Skip(1)), option.Name, option.ValueType.Name);
            foreach (var subcommand in command.Subcommands)
                Walk(subcommand, here);
        }
    }

    [Fact]
    public void Should_Find_The_Options_Of_Every_Command()
    {
        // A walk that found nothing would make the theories below pass vacuously.
        var found = ValueOptions().Select(row => $"{row[0]} {row[1]}").ToList();
        Assert.Contains("train --epochs", found);
        Assert.Contains("cam --line-width", found);
        Assert.Contains("model summary --length", found);
        Assert.True(found.Count > 60, $"{found.Count} options");
    }

    [Theory]
    [MemberData(nameof(ValueOptions))]
    public async Task Should_Refuse_An_Unparsable_Value_In_One_Line_With_Exit_Code_2(string command, string option, string type)
    {
        // Strings take any text; a number, a choice or a list does not take these.
        if (type is nameof(String) or "String[]")
            return;
        string[] values = type switch
        {
            nameof(Double) => ["abc", "", "nan", "inf", "-1e400", "1,5"],
            _ => ["abc", "", "1e12", "1.5", "99999999999"],
        };
        foreach (var value in values)
        {
            var (code, output, error) = await RunAsync([.. Words(command), option, value]);

            Assert.True(code == ExitCodes.Usage, $"{command} {option} '{value}': exit {code}: {error}");
            var line = Assert.Single(CliRunner.Lines(error));
            Assert.Contains(option, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // a stack frame
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.Equal("", output);
        }
    }

    [Theory]
    [MemberData(nameof(ValueOptions))]
    public async Task Should_Refuse_An_Option_Without_Its_Value_In_One_Line_With_Exit_Code_2(string command, string option, string type)
    {
        _ = type;
        var (code, output, error) = await RunAsync([.. Words(command), option]);

        Assert.True(code == ExitCodes.Usage, $"{command} {option}: exit {code}: {error}");
        Assert.Single(CliRunner.Lines(error));
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("train GunPoint --foo", "unknown option '--foo'")]
    [InlineData("evaluate --frobnicate x", "unknown option '--frobnicate'")]
    [InlineData("predict --model m.chronoscope data.arff -z", "unknown option '-z'")]
    [InlineData("train --lr 0.1 GunPoint --epoch 2", "unknown option '--epoch'; did you mean --epochs?")]
    [InlineData("datasets info --everything GunPoint", "unknown option '--everything'")]
    public async Task Should_Name_An_Unknown_Option_As_An_Option(string commandLine, string expected)
    {
        var (code, _, error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: {expected}", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cuda:99999999999")]
    [InlineData("cuda:-1")]
    public async Task Should_Refuse_A_Device_Index_That_Is_Not_A_Number_In_Range_As_A_Usage_Error(string device)
    {
        var (code, _, error) = await RunAsync(["--device", device, "model", "summary"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: --device {device}: expected cpu, cuda or cuda:N (a GPU's index).", Assert.Single(CliRunner.Lines(error)));
    }

    [Theory]
    [InlineData("train GunPoint --threads 100000", "--threads 100000: expected a whole number from 1 to 1,024")]
    [InlineData("model summary --length 2000000000", "--length 2000000000: expected a whole number from 1 to 100,000")]
    [InlineData("model summary --channels 100000000", "--channels 100000000: expected a whole number from 1 to 10,000")]
    [InlineData("model summary --depth 1000000", "--depth 1000000: expected a whole number from 1 to 100")]
    [InlineData("model summary --filters 100000", "--filters 100000: expected a whole number from 1 to 1,024")]
    [InlineData("model summary --kernels 39,1000000", "--kernels 39,1000000: expected 1 to 16 kernel sizes from 1 to 10,000")]
    [InlineData("train GunPoint --batch-size 2000000", "--batch-size 2000000: expected auto or a whole number from 1 to 1,000,000")]
    public async Task Should_Refuse_Sizes_Beyond_Sane_Limits_Before_Any_Work(string commandLine, string expected)
    {
        var (code, _, error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: {expected}", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
    }

    private static string[] Words(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private Task<(int Code, string Output, string Error)> RunAsync(string[] args) => CliRunner.RunAsync(args, _folder.Combine("cache"));
}
