using Chronoscope.Cli.Output;
using Chronoscope.Data.Archive;
using Spectre.Console;

namespace Chronoscope.Cli;

/// <summary>
/// What every command needs from its surroundings: where to write (standard output and standard error as
/// Spectre consoles), where datasets live, and whether to handle Ctrl+C. Tests build one around test consoles.
/// </summary>
internal sealed class CliContext
{
    public CliContext(IAnsiConsole output, IAnsiConsole error, DatasetSourceOptions? datasetOptions = null, bool handleTerminationSignals = false)
    {
        Output = output;
        Error = error;
        DatasetOptions = datasetOptions ?? new DatasetSourceOptions();
        HandleTerminationSignals = handleTerminationSignals;
    }

    /// <summary>Standard output: results, tables, progress.</summary>
    public IAnsiConsole Output { get; }

    /// <summary>Standard error: one red line per error.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>The base options for finding and downloading datasets (the cache folder, the URLs).</summary>
    public DatasetSourceOptions DatasetOptions { get; }

    /// <summary>Whether Ctrl+C / SIGTERM cancel the running command (true for the real process, false in tests).</summary>
    public bool HandleTerminationSignals { get; }

    /// <summary>
    /// How to start this program again (<c>train --parallel</c> runs a process per network): the program and the
    /// arguments before the command line's own. Defaults to <see cref="Environment.ProcessPath"/> when it is the
    /// <c>chronoscope</c> launcher, else the dotnet host with the CLI's assembly (<c>dotnet Chronoscope.Cli.dll</c>, as
    /// under <c>dotnet run</c> or a test host). Tests replace it.
    /// </summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = DefaultSelfCommand();

    private static string[] DefaultSelfCommand()
    {
        var assembly = typeof(CliContext).Assembly.Location;
        var process = Environment.ProcessPath;
        var launcher = process is not null && System.Reflection.Assembly.GetEntryAssembly() == typeof(CliContext).Assembly
            && !string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase);
        if (launcher)
            return [process!];
        var dotnet = process is not null && string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase)
            ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [dotnet, assembly];
    }

    /// <summary>True when standard output is a terminal that understands ANSI: live progress bars and colours; else plain lines.</summary>
    public bool IsInteractive => Output.Profile.Out.IsTerminal && Output.Profile.Capabilities.Ansi;

    /// <summary>The context of the real process: consoles on stdout and stderr, colours only on terminals.</summary>
    public static CliContext ForProcess()
    {
        return new CliContext(Create(Console.Out), Create(Console.Error), handleTerminationSignals: true);

        static IAnsiConsole Create(TextWriter writer) =>
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
    }

    /// <summary>Writes one line on standard output saying what was made, green on a terminal.</summary>
    public void WriteDone(string message) => WriteLine(Output, message, IsInteractive ? new Style(Color.Green) : Style.Plain);

    /// <summary>Writes one line on standard error, red on a terminal, never wrapped.</summary>
    public void WriteError(string message) => WriteLine(Error, message, new Style(Color.Red));

    /// <summary>Writes one warning line on standard error, <c>warning: ...</c>, yellow where the console supports it, never wrapped.</summary>
    public void WriteWarning(string message) => WriteLine(Error, $"warning: {message}", new Style(Color.Yellow));

    /// <summary>Writes one note on standard error, <c>note: ...</c>, yellow where the console supports it, never wrapped: what was chosen for the user and why.</summary>
    public void WriteNote(string message) => WriteLine(Error, $"note: {message}", new Style(Color.Yellow));

    /// <summary>Writes one line as it is (no markup, never wrapped), in <paramref name="style"/> where the console supports it.</summary>
    public static void WriteLine(IAnsiConsole console, string text, Style? style = null) =>
        console.Write(new UnwrappedLine(text, style));
}
