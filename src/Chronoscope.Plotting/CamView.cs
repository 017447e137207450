namespace Chronoscope.Plotting;

/// <summary>How a class activation map picture draws the channels of a series.</summary>
public enum CamView
{
    /// <summary>
    /// <see cref="Lines"/> up to <see cref="CamPlotOptions.MaxLineChannels"/> channels, <see cref="Strips"/> above: beyond
    /// that, one line panel per channel leaves each too thin to read.
    /// </summary>
    Auto,

    /// <summary>One panel per channel, the channel's series drawn as a line coloured by its map (the reference's view).</summary>
    Lines,

    /// <summary>
    /// One heat strip per channel, time on x and the map value as colour, the channel names on the left and one colour
    /// bar; the series itself is not drawn. Each item gets its own panel (an overlay stacks them).
    /// </summary>
    Strips,
}
