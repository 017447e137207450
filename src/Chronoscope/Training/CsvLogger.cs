using System.Globalization;
using System.Text;

namespace Chronoscope.Training;

/// <summary>
/// Writes the epoch table to a CSV file after every validated epoch (<c>epoch,train_loss,valid_loss,metrics...,time</c>).
/// Each write replaces the file atomically, so a reader never sees half a row and an interrupted run keeps the epochs
/// done. For the members of an ensemble, one logger over their fits with <see cref="Member"/> set before each keeps every
/// member's rows under a leading <c>member</c> column.
/// </summary>
public sealed class CsvLogger(string path) : Callback
{
    private readonly StringBuilder _content = new();

    public string Path { get; } = path;

    /// <summary>The ensemble member whose fit follows, from 1; null (the default) for one network: each fit starts the file afresh.</summary>
    public int? Member { get; set; }

    public override int Order => 40;

    /// <summary>Whether the file holds a row of the fits so far (it is written only once an epoch is validated).</summary>
    public bool HasRows => _content.Length > 0;

    public override void BeforeFit(TrainingContext context)
    {
        if (Member is null or 1)
            _content.Clear();
    }

    public override void AfterValidate(TrainingContext context)
    {
        var row = context.LastEpoch!;
        string[] member = Member is { } m ? [m.ToString(CultureInfo.InvariantCulture)] : [];
        if (_content.Length == 0)
            _content.AppendLine(string.Join(",", [.. Member is null ? Array.Empty<string>() : ["member"], "epoch", "train_loss", "valid_loss", .. row.Metrics.Select(m => m.Key), "seconds"]));
        _content.AppendLine(string.Join(",", [
            .. member,
            row.Epoch.ToString(CultureInfo.InvariantCulture),
            Format(row.TrainLoss), Format(row.ValidLoss),
            .. row.Metrics.Select(m => Format(m.Value)),
            row.Duration.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)]));
        AtomicFile.WriteAllText(Path, _content.ToString());
    }

    private static string Format(double value) => value.ToString("F6", CultureInfo.InvariantCulture);
}
