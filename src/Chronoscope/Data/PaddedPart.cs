using System.Globalization;

namespace Chronoscope.Data;

/// <summary>
/// The part of a split whose series were padded to the other part's longer ones (<see cref="VariableLengths.Pad"/>):
/// which part, and the lengths of its series as read.
/// </summary>
internal sealed record PaddedPart(bool IsTraining, int Shortest, int Longest)
{
    public string Name => IsTraining ? "training" : "validation";

    public string OtherName => IsTraining ? "validation" : "training";

    /// <summary>"30 steps", or "15 to 30 steps" where the part's series vary in length.</summary>
    public string Lengths => Shortest == Longest
        ? string.Create(CultureInfo.InvariantCulture, $"{Longest:N0} steps")
        : string.Create(CultureInfo.InvariantCulture, $"{Shortest:N0} to {Longest:N0} steps");

    /// <summary>The part of <paramref name="train"/> and <paramref name="valid"/> whose longest series is the shorter.</summary>
    public static PaddedPart Of(TimeSeriesDataset train, TimeSeriesDataset valid)
    {
        var part = train.Length < valid.Length ? train : valid;
        return new PaddedPart(part == train, part.Lengths.Min(), part.Lengths.Max());
    }
}
