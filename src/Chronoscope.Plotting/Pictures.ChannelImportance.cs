using Chronoscope.Explain;
using ScottPlot;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    /// <summary>
    /// Which channel the maps point at: each channel's share of the absolute attribution (<see cref="ChannelImportance"/>),
    /// as grouped bars — one group per channel, one bar per item (up to 8 items) or, for more, per explained class (the
    /// mean share over the maps explaining it). Only channel × time maps have something to show. The groups are labelled
    /// with the channels' names (<see cref="ActivationMaps.ChannelNames"/>), else <c>ch0</c>, <c>ch1</c>, ….
    /// </summary>
    /// <param name="maps">Channel × time maps (<see cref="ActivationMaps.Channels"/> above 1).</param>
    /// <param name="classNames">Display names of the model's classes, in class order; null keeps the labels.</param>
    public static Figure PlotChannelImportance(ActivationMaps maps, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Channels < 2)
            throw new ArgumentException($"{maps.Title} maps have one row (time only): there is no channel to compare.", nameof(maps));
        var names = classNames ?? maps.Classes;
        var groups = new List<(string Label, double[] Shares)>();
        if (maps.Count <= 8)
        {
            for (var k = 0; k < maps.Count; k++)
                groups.Add(($"item {maps.Items[k]} [{names[maps.ExplainedClasses[k]]}]", ChannelImportance.Shares(maps, k)));
        }
        else
        {
            foreach (var c in maps.ExplainedClasses.Distinct().Order())
                groups.Add(($"class {names[c]} (mean of {maps.ExplainedClasses.Count(e => e == c)})", ChannelImportance.MeanShares(maps, c)));
        }

        var plot = Theme.NewPlot();
        var width = 0.8 / groups.Count;
        for (var g = 0; g < groups.Count; g++)
        {
            var bars = new List<Bar>();
            for (var c = 0; c < maps.Channels; c++)
            {
                bars.Add(new Bar
                {
                    Position = c - 0.4 + width * (g + 0.5),
                    Value = groups[g].Shares[c],
                    Size = width * 0.9,
                    FillColor = Theme.Cycle[g % Theme.Cycle.Length],
                    LineWidth = 0,
                });
            }
            var series = plot.Add.Bars(bars);
            series.LegendText = groups[g].Label;
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, maps.Channels).Select(c => (double)c)], [.. Enumerable.Range(0, maps.Channels).Select(c => maps.ChannelNames?[c] ?? $"ch{c}")]);
        plot.Axes.SetLimits(-0.6, maps.Channels - 0.4, 0, 1);
        plot.Axes.Left.Label.Text = "share of |attribution|";
        Theme.Title(plot, $"{maps.Title} - importance per channel");
        plot.Legend.FontSize = Theme.LegendSize;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.ShowLegend();
        return Single(plot, Math.Max(5, 1.2 * maps.Channels + 3), 4);
    }
}
