using System.CommandLine;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// One of a fixed set of values, written on the command line by its name (<c>per-sample</c> for
/// <see cref="Data.Normalization.PerSample"/>); its <see cref="ToString"/> is the name, so help shows <c>[default: none]</c>.
/// </summary>
internal sealed record Choice<T>(string Name, T Value)
{
    public override string ToString() => Name;
}

/// <summary>Options whose value is one of a few names.</summary>
internal static class Choice
{
    /// <summary>
    /// An option over every value of the enum <typeparamref name="T"/>, each by the name <paramref name="nameOf"/> gives
    /// (<see cref="Reports.SettingNames"/>); the enum's first value is the default.
    /// </summary>
    public static Option<Choice<T>> Option<T>(string name, string description, Func<T, string> nameOf) where T : struct, Enum =>
        Option(name, description, [.. Enum.GetValues<T>().Select(value => new Choice<T>(nameOf(value), value))]);

    /// <summary>
    /// An option that accepts one of <paramref name="choices"/> by name (any case), shows them in help as
    /// <c>&lt;a|b|c&gt;</c> with the default, and answers anything else with a parse error listing them.
    /// </summary>
    public static Option<Choice<T>> Option<T>(string name, string description, params Choice<T>[] choices)
    {
        var names = string.Join("|", choices.Select(c => c.Name));
        var option = new Option<Choice<T>>(name)
        {
            Description = description,
            HelpName = names,
            DefaultValueFactory = _ => choices[0],
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                var choice = choices.FirstOrDefault(c => string.Equals(c.Name, token, StringComparison.OrdinalIgnoreCase));
                if (choice is null)
                    result.AddError($"{name} {token}: expected one of {string.Join(", ", choices.Select(c => c.Name))}");
                return choice;
            },
        };
        option.CompletionSources.Add(choices.Select(c => c.Name).ToArray());
        return option;
    }
}
