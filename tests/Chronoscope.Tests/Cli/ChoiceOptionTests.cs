using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using Chronoscope.Cli;
using Chronoscope.Cli.Commands;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// Every option whose value is one of a fixed set of names is made by <see cref="Choice"/>, found by walking the command
/// tree: so all parse the same way and answer a wrong name the same way, and a new option that parses its own names (a
/// string checked later, an enum parsed by System.CommandLine) fails here until it moves onto the helper.
/// </summary>
public sealed class ChoiceOptionTests : IDisposable
{
    /// <summary>
    /// The options that take text which is not one of a fixed set of names, by name, with why. An option with a fixed set
    /// of values does not belong here: make it with <see cref="Choice.Option{T}(string, string, Choice{T}[])"/> or
    /// <see cref="Choice.List"/>.
    /// </summary>
    private static readonly HashSet<string> FreeText =
    [
        // files and folders
        "--out", "--data", "--model", "--train", "--test", "--json", "--metadata", "--mask",
        // names the user makes up, and URL templates
        "--name", "--class-names", "--channel-names", "--from",
        // numbers in a format of their own: item indices and ranges, channel lists, a range, a size
        "--items", "--planted-channels", "--scale-range", "--size",
        // sets known only with the model, the data or other options: the model's classes (or label / predicted), the
        // chosen --metrics, cpu / cuda / cuda:N
        "--target", "--monitor", "--device",
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IEnumerable<(string Command, Option Option)> AllOptions()
    {
        var root = new ChronoscopeCli(new CliContext(CapturedConsole.Redirected().Console, CapturedConsole.Redirected().Console)).Root;
        return Walk(root, "");

        static IEnumerable<(string, Option)> Walk(Command command, string path)
        {
            foreach (var option in command.Options.Where(o => o is not HelpOption and not VersionOption))
                yield return (path, option);
            foreach (var subcommand in command.Subcommands)
            {
                foreach (var found in Walk(subcommand, (path + " " + subcommand.Name).Trim()))
                    yield return found;
            }
        }
    }

    private static bool IsChoice(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Choice<>)
            || (type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && IsChoice(type.GetGenericArguments()[0])));

    /// <summary>(command path, option name) of every option made by <see cref="Choice"/>.</summary>
    public static TheoryData<string, string> ChoiceOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, option) in AllOptions().Where(o => IsChoice(o.Option.ValueType)))
            data.Add(command, option.Name);
        return data;
    }

    [Fact]
    public void Should_Make_Every_Option_Of_A_Fixed_Set_Of_Names_With_The_Choice_Helper()
    {
        var options = AllOptions().ToList();

        // Text options are only those whose text is not a fixed set of names; no option parses an enum by itself
        var text = options.Where(o => o.Option.ValueType == typeof(string) || o.Option.ValueType == typeof(string[])).ToList();
        Assert.All(text, o => Assert.True(FreeText.Contains(o.Option.Name),
            $"{o.Command} {o.Option.Name} takes text: if its values are a fixed set of names, make it with Choice.Option or Choice.List; else add it to FreeText with the reason."));
        Assert.All(options, o => Assert.False(Nullable.GetUnderlyingType(o.Option.ValueType) is { IsEnum: true } || o.Option.ValueType.IsEnum,
            $"{o.Command} {o.Option.Name} parses an enum by itself: make it with Choice.Option."));

        // and the walk found the choices the issue names (a walk that found nothing would pass vacuously)
        var choices = options.Where(o => IsChoice(o.Option.ValueType)).Select(o => $"{o.Command} {o.Option.Name}").ToList();
        foreach (var expected in (string[])["cam --method", "cam --reduction", "cam --line-style", "cam --view", "cam --cmap", "cam --baseline", "train --normalize",
                     "train --optimizer", "train --metrics", "faithfulness --methods", "faithfulness --perturbation", "counterfactual --distance",
                     "counterfactual --method", "report --method", "datasets synth --shape", "export --to"])
            Assert.Contains(expected, choices);
    }

    [Theory]
    [MemberData(nameof(ChoiceOptions))]
    public async Task Should_Answer_A_Wrong_Name_With_Exit_Code_2_And_Every_Choice(string command, string option)
    {
        // Given a choice option and its names
        var symbol = AllOptions().Single(o => o.Command == command && o.Option.Name == option).Option;
        var names = symbol.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Where(n => n != "all").ToList();
        Assert.True(names.Count >= 1, $"{command} {option} offers no names");

        // When it is given a name it does not have
        var (code, output, error) = await CliRunner.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), option, "no-such-name"], _folder.Combine("cache"));

        // Then one line names the option and the value and lists every name, with exit code 2 and nothing else written
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith($"error: {option} no-such-name: ", line, StringComparison.Ordinal);
        var listed = System.Text.RegularExpressions.Regex.Match(line, "(?:one|some) of (.+?)(?:;| \\(see)").Groups[1].Value.Split(", ");
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal("", output);
    }

    [Fact]
    public void Should_Take_The_Exact_Name_Else_The_One_Name_That_Differs_Only_In_Case()
    {
        // Given names that differ only in case, and one that does not
        var option = Choice.Option("--x", "x", new Choice<int>("a", 1), new Choice<int>("A", 2), new Choice<int>("b", 3));
        var command = new Command("c") { option };

        int? Value(string text) => command.Parse(["--x", text]) is { Errors.Count: 0 } parse ? parse.GetRequiredValue(option).Value : null;

        // Then each exact name is itself, "B" is b, and "a"/"A" are never confused, while an unknown name is an error
        Assert.Equal([1, 2, 3, 3, null], new[] { "a", "A", "b", "B", "c" }.Select(Value));
        Assert.Equal(1, command.Parse([]).GetRequiredValue(option).Value); // the first is the default
    }

    [Fact]
    public void Should_Read_A_List_Of_Names_Or_All_In_The_Order_Given_Each_Once()
    {
        Choice<int>[] choices = [new("one", 1), new("two", 2), new("three", 3)];
        var option = Choice.List("--x", "x", choices, "two", all: true);
        var command = new Command("c") { option };

        IReadOnlyList<int>? Values(params string[] args) =>
            command.Parse(args) is { Errors.Count: 0 } parse ? [.. parse.GetRequiredValue(option).Select(c => c.Value)] : null;

        Assert.Equal([2], Values());
        Assert.Equal([3, 1], Values("--x", "three,ONE,three"));
        Assert.Equal([1, 2, 3], Values("--x", "all"));
        Assert.Null(Values("--x", "one,four"));
        Assert.Null(Values("--x", ","));
        Assert.Contains("--x one,thre: unknown 'thre'; expected 'all' or some of one, two, three; did you mean three?",
            command.Parse(["--x", "one,thre"]).Errors.Select(e => e.Message));
    }
}
