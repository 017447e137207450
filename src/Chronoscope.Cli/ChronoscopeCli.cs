using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Chronoscope.Cli.Commands;

namespace Chronoscope.Cli;

/// <summary>
/// The <c>chronoscope</c> command: builds the command tree, runs one command line, and turns errors into one
/// line on standard error and an exit code. A new command group plugs in with one line in <see cref="BuildRootCommand"/>.
/// </summary>
internal sealed class ChronoscopeCli
{
    private readonly CliContext _context;

    public ChronoscopeCli(CliContext context)
    {
        _context = context;
        Verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Show stack traces with errors, and more detail.",
            Recursive = true,
        };
        Device = new Option<string?>("--device")
        {
            Description = "Where to compute: cpu, or cuda / cuda:N with a CUDA build of libtorch (see the README) [default: cpu].",
            HelpName = "device",
            Recursive = true,
        };
        Root = BuildRootCommand();
    }

    /// <summary>The global <c>--device</c> option.</summary>
    public Option<string?> Device { get; }

    /// <summary>The global <c>--verbose</c> option.</summary>
    public Option<bool> Verbose { get; }

    /// <summary>The root command, with every command group under it.</summary>
    public Command Root { get; }

    private Command BuildRootCommand()
    {
        // A plain command named "chronoscope" rather than a RootCommand, which would take its name from the
        // executable (Chronoscope.Cli, or testhost under tests); so help and version are added here.
        var root = new Command("chronoscope", "Chronoscope: deep-learning time series classification that shows why the model decided.")
        {
            new HelpOption(),
            new VersionOption(),
            Verbose,
            Device,
        };
        root.Subcommands.Add(TutorialCommand.Create(_context));
        root.Subcommands.Add(TrainCommand.Create(_context));
        root.Subcommands.Add(LearningRateFinderCommand.Create(_context));
        root.Subcommands.Add(PredictCommand.Create(_context));
        root.Subcommands.Add(EvaluateCommand.Create(_context));
        root.Subcommands.Add(ModelCommands.Create(_context));
        root.Subcommands.Add(DatasetsCommands.Create(_context));
        root.Subcommands.Add(CamCommand.Create(_context));
        root.Subcommands.Add(CounterfactualCommand.Create(_context));
        root.Subcommands.Add(FaithfulnessCommand.Create(_context));
        root.Subcommands.Add(ReportCommand.Create(_context));
        root.Subcommands.Add(ImportCommand.Create(_context));
        root.Subcommands.Add(ExportCommand.Create(_context));
        ShowHelpWhenNoSubcommandIsGiven(root);
        return root;
    }

    /// <summary><c>chronoscope</c> or <c>chronoscope datasets</c> alone print their help rather than an error.</summary>
    private static void ShowHelpWhenNoSubcommandIsGiven(Command command)
    {
        if (command.Subcommands.Count == 0)
            return;
        // An action of our own rather than HelpAction itself, which would clear parse errors and so answer
        // "chronoscope datasets lst" with help and success instead of an error.
        if (command.Action is null)
            command.SetAction(parse => new HelpAction().Invoke(parse));
        foreach (var subcommand in command.Subcommands)
            ShowHelpWhenNoSubcommandIsGiven(subcommand);
    }

    /// <summary>Runs one command line and returns the process exit code.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parse = Root.Parse(args);
        var verbose = parse.GetValue(Verbose);
        if (parse.Action is ParseErrorAction || UnknownOptionTakenAsArgument(parse) is not null)
        {
            // The command the error belongs to, for a pointer to its help: "chronoscope datasets info --help".
            var names = new List<string>();
            for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
                names.Add(command.Command.Name);
            names.Reverse();
            _context.WriteError($"error: {Describe(parse)} (see '{string.Join(' ', names)} --help').");
            return ExitCodes.Usage;
        }

        if (parse.GetValue(Device) is { } device)
        {
            try
            {
                var match = System.Text.RegularExpressions.Regex.Match(device, @"^(cpu|cuda(:(\d{1,9}))?)$");
                if (!match.Success)
                    throw new ArgumentException("expected cpu, cuda or cuda:N (a GPU's index).");
                TorchRuntime.Device = new TorchSharp.torch.Device(device);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                _context.WriteError($"error: --device {device}: {e.Message}");
                return e is ArgumentException ? ExitCodes.Usage : ExitCodes.Failure;
            }
        }

        var configuration = new InvocationConfiguration
        {
            Output = _context.Output.Profile.Out.Writer,
            Error = _context.Error.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // signals are ours (TerminationSignals): the library's handler threw on a second one
        };
        using var signals = new TerminationSignals(_context, cancellationToken);
        try
        {
            var code = await parse.InvokeAsync(configuration, signals.Token).ConfigureAwait(false);
            return code == ExitCodes.Cancelled ? signals.CancelledCode : code;
        }
        catch (OperationCanceledException)
        {
            _context.WriteError("cancelled.");
            return signals.CancelledCode;
        }
        catch (UsageException e)
        {
            _context.WriteError($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (IsUserError(e))
        {
            _context.WriteError($"error: {UserMessage(e)}");
            if (verbose)
                CliContext.WriteLine(_context.Error, e.ToString());
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // The first line only: libtorch's messages carry its native stack frames on the lines after.
            var first = e.Message.Split('\n', 2)[0].Trim();
            _context.WriteError($"internal error: {e.GetType().Name}: {first} (this is a bug; run with --verbose for the stack trace and please report it)");
            if (verbose)
                CliContext.WriteLine(_context.Error, e.ToString());
            return ExitCodes.Internal;
        }
    }

    /// <summary>The first parse error in one line; for an unknown word, the commands or options it may have meant.</summary>
    private static string Describe(ParseResult parse)
    {
        var unknown = UnknownOptionTakenAsArgument(parse) ?? parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-'));
        if (unknown is null && parse.UnmatchedTokens.Count == 0)
        {
            // An error about a value given on the command line ("--epochs abc: ...") before one about what is missing.
            var given = parse.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult { Implicit: false } or ArgumentResult { Parent: OptionResult { Implicit: false } });
            return (given ?? parse.Errors[0]).Message.TrimEnd('.');
        }
        var token = unknown ?? parse.UnmatchedTokens[0];
        var command = parse.CommandResult.Command;
        var candidates = command.Subcommands.Select(c => c.Name)
            .Concat(command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive)).Select(o => o.Name));
        var suggestions = NameSuggestions.Closest(token, candidates);
        var guess = suggestions.Count > 0 ? $"; did you mean {string.Join(" or ", suggestions)}?" : "";
        var kind = token.StartsWith('-') ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
        return $"unknown {kind} '{token}'{guess}";
    }

    /// <summary>
    /// A word that looks like an option (<c>--frobnicate</c>, <c>-x</c>) but was taken as a command's argument (a file
    /// or dataset name) because no option has that name; null when there is none. Words after <c>--</c> are arguments.
    /// </summary>
    private static string? UnknownOptionTakenAsArgument(ParseResult parse)
    {
        var afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            foreach (var argument in command.Children.OfType<ArgumentResult>())
            {
                foreach (var token in argument.Tokens)
                {
                    var value = token.Value;
                    if (value.Length > 1 && value[0] == '-' && (char.IsLetter(value[1]) || value[1] == '-') && !afterDoubleDash.Contains(value))
                        return value;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// A user error in the house form <c>path: what is wrong</c>: Chronoscope's own messages as they are; .NET's file
    /// errors ("Access to the path '/x' is denied.") rewritten around the path they name.
    /// </summary>
    private static string UserMessage(Exception e)
    {
        if (e is Training.CallbackException { InnerException: { } inner } callback)
            return $"the {callback.Callback} callback failed in {callback.EventName}: {UserMessage(inner).TrimEnd('.')}.";
        if (e is ChronoscopeException or InputFileException)
            return e.Message;
        var quoted = System.Text.RegularExpressions.Regex.Match(e.Message, "'([^']+)'");
        var reason = IoErrors.Reason(e);
        return quoted.Success ? $"{quoted.Groups[1].Value}: {reason}." : $"{reason}.";
    }

    /// <summary>Errors a user can fix: Chronoscope's own, and files that are missing or unreadable, also when a training callback met them.</summary>
    private static bool IsUserError(Exception e) =>
        e is ChronoscopeException or InputFileException or IOException or UnauthorizedAccessException
        || (e is Training.CallbackException { InnerException: { } inner } && IsUserError(inner));
}
