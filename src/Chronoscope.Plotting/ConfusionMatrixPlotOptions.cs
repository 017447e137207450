namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.PlotConfusionMatrix"/> draws; defaults from fastai's <c>plot_confusion_matrix</c>.</summary>
public sealed record ConfusionMatrixPlotOptions
{
    /// <summary>The colormap of the cells. Defaults to <c>Blues</c>, as fastai's <c>cmap</c>.</summary>
    public string Colormap { get; init; } = "Blues";

    /// <summary>The title. Defaults to <c>Confusion matrix</c>, as fastai's.</summary>
    public string Title { get; init; } = "Confusion matrix";

    /// <summary>The figure width in inches. Defaults to 6.</summary>
    public double WidthInches { get; init; } = 6;

    /// <summary>The figure height in inches. Defaults to 5.</summary>
    public double HeightInches { get; init; } = 5;
}
