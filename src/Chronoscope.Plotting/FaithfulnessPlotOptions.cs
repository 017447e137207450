namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.PlotFaithfulness"/> draws perturbation curves.</summary>
public sealed record FaithfulnessPlotOptions
{
    /// <summary>Figure width in inches. Defaults to 4 per column of panels.</summary>
    public double? WidthInches { get; init; }

    /// <summary>Figure height in inches. Defaults to 3 per row of panels.</summary>
    public double? HeightInches { get; init; }

    /// <summary>The curves drawn thin and grey in every panel as the control. Defaults to "Random".</summary>
    public string ControlMethod { get; init; } = "Random";

    /// <summary>
    /// True (the default) gives the control method a panel of its own; false draws it only as the grey curves in the
    /// other methods' panels (e.g. one panel for one method read against the control).
    /// </summary>
    public bool ControlPanel { get; init; } = true;
}
