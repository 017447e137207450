namespace Chronoscope.Plotting;

/// <summary>Where the items of a class activation map picture go.</summary>
public enum CamLayout
{
    /// <summary>Every series in one panel, one colour bar (the reference's default).</summary>
    Overlay,

    /// <summary>One panel per item in a grid, each with its title and colour bar (the reference's <c>multi_fig=True</c>).</summary>
    Grid,
}
