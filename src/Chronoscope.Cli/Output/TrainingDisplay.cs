using System.Globalization;
using Chronoscope.Training;
using Spectre.Console;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Shows a running fit (or learning-rate sweep) from its <see cref="TrainingProgress"/> reports. On an interactive
/// terminal: a live progress bar within each epoch (training then validation batches) with the epoch rows printed
/// above it as they complete. Otherwise plain lines only: the learner's notes, the table's header and one line per
/// epoch, never a control character.
/// </summary>
internal sealed class TrainingDisplay
{
    private readonly CliContext _context;
    private readonly EpochTable? _table;
    private bool _headerWritten;

    /// <param name="context">Where to write, and whether the console is interactive.</param>
    /// <param name="table">The epoch table to print rows of; null when the work has no epochs (the learning-rate finder).</param>
    public TrainingDisplay(CliContext context, EpochTable? table)
    {
        _context = context;
        _table = table;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this thread with a progress sink suited to the console and returns its result.
    /// The sink must be called on this same thread (the learner reports synchronously).
    /// </summary>
    public T Run<T>(string activity, Func<IProgress<TrainingProgress>, T> work)
    {
        if (!_context.IsInteractive)
            return work(new LineSink(this));
        return _context.Output.Progress()
            .AutoClear(true)
            .HideCompleted(false) // one task for the whole run: at 1 of 1 training batches it is "complete", yet still the current phase
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(display => work(new BarSink(this, display, activity)));
    }

    private void Note(string note)
    {
        if (_context.IsInteractive)
            CliContext.WriteLine(_context.Output, $"note: {note}", new Style(Color.Yellow));
        else
            CliContext.WriteLine(_context.Output, $"note: {note}");
    }

    private void EnsureHeader()
    {
        if (_headerWritten || _table is null)
            return;
        _headerWritten = true;
        if (_context.IsInteractive)
            CliContext.WriteLine(_context.Output, _table.Header, new Style(decoration: Decoration.Bold));
        else
            CliContext.WriteLine(_context.Output, _table.Header);
    }

    private void Row(EpochResult epoch)
    {
        if (_table is null)
            return;
        EnsureHeader();
        CliContext.WriteLine(_context.Output, _table.Row(epoch));
    }

    /// <summary>Plain lines: notes, the header before the first batch, a row per epoch.</summary>
    private sealed class LineSink(TrainingDisplay display) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            switch (value.Phase)
            {
                case TrainingPhase.Note:
                    display.Note(value.Note ?? "");
                    break;
                case TrainingPhase.EpochCompleted when value.Result is not null:
                    display.Row(value.Result);
                    break;
                default:
                    display.EnsureHeader();
                    break;
            }
        }
    }

    /// <summary>One bar that follows the batches of the current phase: "epoch 3/25 train", then "epoch 3/25 valid".</summary>
    private sealed class BarSink(TrainingDisplay display, ProgressContext progress, string activity) : IProgress<TrainingProgress>
    {
        private ProgressTask? _task;

        public void Report(TrainingProgress value)
        {
            switch (value.Phase)
            {
                case TrainingPhase.Note:
                    display.Note(value.Note ?? "");
                    return;
                case TrainingPhase.EpochCompleted:
                    if (value.Result is not null)
                        display.Row(value.Result);
                    return;
            }
            display.EnsureHeader();
            _task ??= progress.AddTask(activity, autoStart: true);
            var phase = value.Phase == TrainingPhase.Training ? "train" : "valid";
            var description = value.EpochCount > 1
                ? string.Create(CultureInfo.InvariantCulture, $"{activity} {value.Epoch + 1}/{value.EpochCount} {phase}")
                : activity;
            _task.MaxValue = Math.Max(1, value.BatchCount);
            _task.Value = value.Batch;
            if (_task.Description != description)
            {
                // A new phase is drawn at once, not at the next tick: an epoch of a small set can be over before it.
                _task.Description = description;
                progress.Refresh();
            }
        }
    }
}
