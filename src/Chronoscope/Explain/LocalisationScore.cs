namespace Chronoscope.Explain;

/// <summary>How well maps find a planted pattern (see <see cref="Localisation"/>).</summary>
/// <param name="MassInside">The share of absolute attribution that falls on planted cells, 0..1 (chance: the mask's share of cells).</param>
/// <param name="TopKPrecision">Of the k highest-attributed cells, k = the mask's size, the share that are planted, 0..1.</param>
/// <param name="PlantedChannelFound">The share of items whose largest per-channel share is a planted channel (NaN for time-only maps, which cannot say).</param>
/// <param name="Items">Items scored.</param>
public readonly record struct LocalisationScore(double MassInside, double TopKPrecision, double PlantedChannelFound, int Items);
