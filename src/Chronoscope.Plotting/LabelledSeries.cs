namespace Chronoscope.Plotting;

/// <summary>One series with its label, as plain arrays: a cell of <see cref="Pictures.ShowBatch(IReadOnlyList{LabelledSeries}, SeriesGridOptions?)"/>.</summary>
/// <param name="Values">The series, (C, T) row-major: channel c, step t at <c>c * T + t</c>.</param>
/// <param name="Channels">C, the number of channels.</param>
/// <param name="Label">The cell's title, e.g. the class name.</param>
public sealed record LabelledSeries(float[] Values, int Channels, string Label);
