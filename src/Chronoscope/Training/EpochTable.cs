using System.Globalization;

namespace Chronoscope.Training;

/// <summary>
/// The epoch table as fastai prints it: <c>epoch  train_loss  valid_loss  accuracy  time</c>, a column per metric,
/// values left-aligned under titles at least 8 wide with two spaces between, losses and metrics with 6 decimals,
/// the time as mm:ss (h:mm:ss past an hour):
/// <code>
/// var table = new EpochTable(["accuracy"]);
/// Console.WriteLine(table.Header);
/// foreach (var epoch in fit.Epochs)
///     Console.WriteLine(table.Row(epoch));
/// </code>
/// </summary>
public sealed class EpochTable
{
    private const int MinimumWidth = 8;
    private const string Gap = "  ";
    private readonly int[] _widths;

    /// <summary>A table with a column per metric, named as <see cref="Metric.Name"/> (e.g. <c>accuracy</c>), in that order.</summary>
    public EpochTable(IReadOnlyList<string> metricNames)
    {
        ArgumentNullException.ThrowIfNull(metricNames);
        Columns = ["epoch", "train_loss", "valid_loss", .. metricNames, "time"];
        _widths = [.. Columns.Select(c => Math.Max(MinimumWidth, c.Length))];
    }

    /// <summary>The column titles, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The line of titles.</summary>
    public string Header => Join(Columns);

    /// <summary>The line of one epoch; its metrics in the order of the columns.</summary>
    public string Row(EpochResult epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return Join(
        [
            epoch.Epoch.ToString(CultureInfo.InvariantCulture),
            Number(epoch.TrainLoss),
            Number(epoch.ValidLoss),
            .. epoch.Metrics.Select(m => Number(m.Value)),
            Time(epoch.Duration),
        ]);
    }

    /// <summary>A loss or metric as the table shows it: 6 decimals, <c>nan</c> for a missing value.</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "nan" : value.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>fastai's <c>format_time</c>: whole seconds as mm:ss, or h:mm:ss from an hour on.</summary>
    public static string Time(TimeSpan duration)
    {
        var seconds = (long)Math.Floor(duration.TotalSeconds);
        long hours = seconds / 3600, minutes = seconds / 60 % 60, rest = seconds % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{rest:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes:00}:{rest:00}");
    }

    private string Join(IReadOnlyList<string> cells) =>
        string.Join(Gap, cells.Select((cell, i) => cell.PadRight(_widths[Math.Min(i, _widths.Length - 1)]))).TrimEnd();
}
