namespace Chronoscope.Plotting;

/// <summary>
/// One series and its class activation map, as plain arrays: what <see cref="Pictures.ShowCam(CamBatch, CamPlotOptions?)"/> draws.
/// </summary>
/// <param name="Series">The series, (C, T) row-major: channel c, step t at <c>c * T + t</c>.</param>
/// <param name="Channels">C, the number of channels (1 for a univariate series).</param>
/// <param name="Map">The map: one value per time step (T), shared by every channel (the CAM family's time-only maps),
/// or C × T values, one row per channel (input attributions' channel × time maps), row-major like the series.</param>
/// <param name="ClassName">The class shown in the title, e.g. <c>Gun</c>.</param>
/// <param name="Confidence">The model's probability for that class in [0, 1], shown as a percentage; null to leave it out.</param>
public sealed record CamItem(float[] Series, int Channels, float[] Map, string ClassName, double? Confidence = null)
{
    /// <summary>T, the number of time steps.</summary>
    public int Length => Channels > 0 ? Series.Length / Channels : 0;

    internal void Validate(int index)
    {
        ArgumentNullException.ThrowIfNull(Series);
        ArgumentNullException.ThrowIfNull(Map);
        ArgumentNullException.ThrowIfNull(ClassName);
        if (Channels < 1)
            throw new ArgumentException($"CAM item {index}: expected at least 1 channel, found {Channels}.");
        if (Series.Length == 0 || Series.Length % Channels != 0)
            throw new ArgumentException($"CAM item {index}: expected a series of C × T values with C = {Channels}, found {Series.Length} values.");
        if (Map.Length != Length && Map.Length != Series.Length)
            throw new ArgumentException(Channels == 1
                ? $"CAM item {index}: expected one map value per time step ({Length}), found {Map.Length}."
                : $"CAM item {index}: expected one map value per time step ({Length}) or per channel and step ({Series.Length}), found {Map.Length}.");
        if (Confidence is { } p && !(p >= 0 && p <= 1))
            throw new ArgumentException($"CAM item {index}: expected a confidence in [0, 1], found {p}.");
    }

    internal ReadOnlySpan<float> Channel(int channel) => Series.AsSpan(channel * Length, Length);

    /// <summary>The map that colours channel <paramref name="channel"/>: its own row of a channel × time map, else the shared map.</summary>
    internal float[] MapOf(int channel) => Map.Length == Length ? Map : Map.AsSpan(channel * Length, Length).ToArray();
}
