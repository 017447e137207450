using Chronoscope.Data;

namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.ShowCounterfactual"/> draws.</summary>
public sealed record CounterfactualPlotOptions
{
    /// <summary>Readable class names for the title, e.g. <c>ClassNames.Parse("1=Gun,2=Point")</c>. Defaults to null: the class labels.</summary>
    public ClassNames? ClassNames { get; init; }

    /// <summary>The figure width in inches (100 pixels each). Defaults to 8.</summary>
    public double WidthInches { get; init; } = 8;

    /// <summary>The figure height in inches. Defaults to 4.5, and 2.5 more per channel after the first.</summary>
    public double? HeightInches { get; init; }

    /// <summary>The line width of the query in points; the counterfactual is drawn a point thicker. Defaults to 2.</summary>
    public double LineWidth { get; init; } = 2;
}
