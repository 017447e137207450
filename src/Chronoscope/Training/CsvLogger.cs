using System.Globalization;
using System.Text;

namespace Chronoscope.Training;

/// <summary>
/// Writes the epoch table to a CSV file after every epoch (<c>epoch,train_loss,valid_loss,metrics...,time</c>). Each write
/// replaces the file atomically, so a reader never sees half a row and an interrupted run keeps the epochs done.
/// </summary>
public sealed class CsvLogger(string path) : Callback
{
    private readonly StringBuilder _content = new();

    public string Path { get; } = path;

    public override int Order => 40;

    public override void BeforeFit(TrainingContext context) => _content.Clear();

    public override void AfterEpoch(TrainingContext context)
    {
        var row = context.LastEpoch!;
        if (_content.Length == 0)
            _content.AppendLine(string.Join(",", ["epoch", "train_loss", "valid_loss", .. row.Metrics.Select(m => m.Key), "seconds"]));
        _content.AppendLine(string.Join(",", [
            row.Epoch.ToString(CultureInfo.InvariantCulture),
            Format(row.TrainLoss), Format(row.ValidLoss),
            .. row.Metrics.Select(m => Format(m.Value)),
            row.Duration.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)]));
        AtomicFile.WriteAllText(Path, _content.ToString());
    }

    private static string Format(double value) => value.ToString("F6", CultureInfo.InvariantCulture);
}
