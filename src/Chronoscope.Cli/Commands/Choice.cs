using System.CommandLine;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// One of a fixed set of values, written on the command line by its name (<c>per-sample</c> for
/// <see cref="Data.Normalization.PerSample"/>); its <see cref="ToString"/> is the name, so help shows <c>[default: auto]</c>.
/// </summary>
internal sealed record Choice<T>(string Name, T Value)
{
    public override string ToString() => Name;
}

/// <summary>
/// Options whose value is one of a fixed set of names: every such option of every command is made here, so all parse
/// the same way (at parse time, any case) and answer a wrong name the same way, a usage error (exit code 2):
/// <c>--reduction avg: expected one of mean, median, max, mean_max; did you mean max?</c>
/// </summary>
internal static class Choice
{
    /// <summary>
    /// An option over every value of the enum <typeparamref name="T"/>, each by the name <paramref name="nameOf"/> gives
    /// (<see cref="Reports.SettingNames"/>); the enum's first value is the default.
    /// </summary>
    public static Option<Choice<T>> Option<T>(string name, string description, Func<T, string> nameOf) where T : struct, Enum =>
        Option(name, description, [.. Enum.GetValues<T>().Select(value => new Choice<T>(nameOf(value), value))]);

    /// <summary>
    /// An option over <c>auto</c> (null, the default: the library chooses from the data) and every value of the enum
    /// <typeparamref name="T"/>, each by the name <paramref name="nameOf"/> gives.
    /// </summary>
    public static Option<Choice<T?>> OptionOrAuto<T>(string name, string description, Func<T, string> nameOf) where T : struct, Enum =>
        Option(name, description, [new Choice<T?>("auto", null), .. Enum.GetValues<T>().Select(value => new Choice<T?>(nameOf(value), value))]);

    /// <summary>An option that accepts one of <paramref name="choices"/> by name; the first is the default.</summary>
    public static Option<Choice<T>> Option<T>(string name, string description, params Choice<T>[] choices) =>
        Option(name, description, choices, choices[0].Name);

    /// <summary>
    /// An option that accepts one of <paramref name="choices"/> by name (the exact name, else the one name that differs
    /// only in case), <paramref name="defaultName"/> when not given; shows them in help as <c>&lt;a|b|c&gt;</c> (or as
    /// <paramref name="helpName"/>, for a long list) with the default, and answers anything else with a parse error that
    /// lists them and suggests the nearest.
    /// </summary>
    public static Option<Choice<T>> Option<T>(string name, string description, IReadOnlyList<Choice<T>> choices, string defaultName, string? helpName = null)
    {
        var byDefault = choices.Single(c => c.Name == defaultName);
        var names = choices.Select(c => c.Name).ToArray();
        var option = new Option<Choice<T>>(name)
        {
            Description = description,
            HelpName = helpName ?? string.Join("|", names),
            DefaultValueFactory = _ => byDefault,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                var choice = Find(choices, token.Trim());
                if (choice is null)
                {
                    var near = NameSuggestions.Closest(token, names);
                    var guess = near.Count > 0 ? $"; did you mean {string.Join(" or ", near)}?" : "";
                    result.AddError($"{name} {OptionRanges.Quoted(token)}: expected one of {string.Join(", ", names)}{guess}");
                }
                return choice;
            },
        };
        option.CompletionSources.Add(names);
        return option;
    }

    /// <summary>
    /// An option that takes some of <paramref name="choices"/>, separated by commas (<c>--metrics accuracy,f1_macro</c>),
    /// or with <paramref name="all"/> the word <c>all</c> for every one; each name counts once, in the order given. An
    /// unknown name is a parse error that names it, lists the choices and suggests the nearest. Not given, the option is
    /// <paramref name="defaultText"/>, read as if typed.
    /// </summary>
    public static Option<IReadOnlyList<Choice<T>>> List<T>(string name, string description, IReadOnlyList<Choice<T>> choices, string defaultText, bool all)
    {
        var names = choices.Select(c => c.Name).ToArray();
        var expected = $"expected {(all ? "'all' or " : "")}some of {string.Join(", ", names)}";
        var option = new Option<IReadOnlyList<Choice<T>>>(name)
        {
            Description = description,
            HelpName = all ? "all|list" : "list",
            Arity = ArgumentArity.ExactlyOne,
            DefaultValueFactory = result => Parse(defaultText, out _) ?? [],
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                var chosen = Parse(text, out var error);
                if (chosen is null)
                    result.AddError($"{name} {OptionRanges.Quoted(text)}: {error}");
                return chosen ?? [];
            },
        };
        option.CompletionSources.Add(all ? ["all", .. names] : names);
        return option;

        IReadOnlyList<Choice<T>>? Parse(string text, out string error)
        {
            error = "";
            var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (all && words is [var only] && string.Equals(only, "all", StringComparison.OrdinalIgnoreCase))
                return choices;
            var chosen = new List<Choice<T>>();
            foreach (var word in words)
            {
                if (Find(choices, word) is not { } choice)
                {
                    var near = NameSuggestions.Closest(word, names);
                    var guess = near.Count > 0 ? $"; did you mean {string.Join(" or ", near)}?" : "";
                    error = $"unknown '{OptionRanges.Quoted(word)}'; {expected}{guess}";
                    return null;
                }
                if (!chosen.Contains(choice))
                    chosen.Add(choice);
            }
            if (chosen.Count == 0)
                error = expected;
            return chosen.Count > 0 ? chosen : null;
        }
    }

    private static Choice<T>? Find<T>(IReadOnlyList<Choice<T>> choices, string text)
    {
        var exact = choices.FirstOrDefault(c => string.Equals(c.Name, text, StringComparison.Ordinal));
        if (exact is not null)
            return exact;
        var anyCase = choices.Where(c => string.Equals(c.Name, text, StringComparison.OrdinalIgnoreCase)).ToList();
        return anyCase.Count == 1 ? anyCase[0] : null;
    }
}
