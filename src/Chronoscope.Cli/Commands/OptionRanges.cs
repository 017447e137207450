using System.CommandLine;
using System.Globalization;

namespace Chronoscope.Cli.Commands;

/// <summary>Range checks on numeric options, reported as parse errors (exit code 2) that name the option and the value.</summary>
internal static class OptionRanges
{
    /// <summary>The value must be at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum)
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be at least {minimum}, found {value}"));
        });
        return option;
    }

    /// <summary>The value, when given, must be at least <paramref name="minimum"/>.</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value < minimum)
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be at least {minimum}, found {value}"));
        });
        return option;
    }

    /// <summary>The value must be finite and strictly above 0.</summary>
    public static Option<double> Positive(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!(value > 0) || !double.IsFinite(value))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be a number above 0, found {value}"));
        });
        return option;
    }

    /// <summary>The value must lie strictly between <paramref name="low"/> and <paramref name="high"/>.</summary>
    public static Option<double> Between(this Option<double> option, double low, double high)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!(value > low && value < high))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be between {low} and {high} (exclusive), found {value}"));
        });
        return option;
    }
}
