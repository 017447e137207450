using System.Globalization;
using Chronoscope.Data.Archive;
using Spectre.Console;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Shows <see cref="DownloadProgress"/> events: a live progress bar on an interactive terminal, plain lines
/// otherwise (one per event: the URL tried, every tenth of the zip, a skipped URL, extraction).
/// </summary>
internal static class DownloadReporter
{
    /// <summary>
    /// Gets a dataset as <see cref="Datasets.GetAsync"/> does, showing download progress suited to the console;
    /// the live display starts only when a download will actually happen.
    /// </summary>
    public static Task<DatasetFiles> GetAsync(CliContext context, string name, DatasetSourceOptions options, CancellationToken cancellationToken) =>
        Datasets.RequiresDownload(name, options)
            ? RunAsync(context, progress => Datasets.GetAsync(name, options, progress, cancellationToken))
            : Datasets.GetAsync(name, options, null, cancellationToken);

    /// <summary>Runs <paramref name="work"/> with a progress sink suited to the console, and returns its result.</summary>
    private static async Task<T> RunAsync<T>(CliContext context, Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        if (!context.IsInteractive)
            return await work(new LineProgress(context.Output)).ConfigureAwait(false);

        return await context.Output.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(display => work(new BarProgress(context.Output, display)))
            .ConfigureAwait(false);
    }

    /// <summary>Plain lines, for redirected output and dumb terminals.</summary>
    private sealed class LineProgress(IAnsiConsole console) : IProgress<DownloadProgress>
    {
        private int _tenthsShown = -1;
        private long _megabytesShown;

        public void Report(DownloadProgress value)
        {
            switch (value.Stage)
            {
                case DownloadStage.Connecting:
                    _tenthsShown = -1;
                    _megabytesShown = 0;
                    CliContext.WriteLine(console, $"{value.Name}: downloading {value.Url}");
                    break;
                case DownloadStage.Downloading when value.TotalBytes is long total && total > 0:
                    var tenths = (int)(value.BytesReceived * 10 / total);
                    if (tenths > _tenthsShown && value.BytesReceived > 0)
                    {
                        _tenthsShown = tenths;
                        var percent = (value.BytesReceived * 100 / total).ToString(CultureInfo.InvariantCulture);
                        CliContext.WriteLine(console, $"{value.Name}: {Sizes.Format(value.BytesReceived)} of {Sizes.Format(total)} ({percent}%)");
                    }
                    break;
                case DownloadStage.Downloading:
                    var megabytes = value.BytesReceived / (1024 * 1024);
                    if (megabytes > _megabytesShown)
                    {
                        _megabytesShown = megabytes;
                        CliContext.WriteLine(console, $"{value.Name}: {Sizes.Format(value.BytesReceived)}");
                    }
                    break;
                case DownloadStage.Skipped:
                    CliContext.WriteLine(console, $"{value.Name}: {value.Detail}");
                    break;
                case DownloadStage.Extracting:
                    CliContext.WriteLine(console, $"{value.Name}: extracting {Sizes.Format(value.BytesReceived)}");
                    break;
                case DownloadStage.Completed:
                    break;
            }
        }
    }

    /// <summary>A Spectre progress bar per URL that answers with a body (a 404 or a refused connection gets a line, not a bar).</summary>
    private sealed class BarProgress(IAnsiConsole console, ProgressContext display) : IProgress<DownloadProgress>
    {
        private ProgressTask? _task;

        public void Report(DownloadProgress value)
        {
            switch (value.Stage)
            {
                case DownloadStage.Connecting:
                    _task = null;
                    break;
                case DownloadStage.Downloading:
                    _task ??= display.AddTask(Markup.Escape($"{value.Name} ({value.Url.Host})"), autoStart: true);
                    if (value.TotalBytes is long total && total > 0)
                        _task.MaxValue = total;
                    else
                        _task.IsIndeterminate = true;
                    _task.Value = value.BytesReceived;
                    break;
                case DownloadStage.Skipped:
                    if (_task is not null)
                    {
                        _task.Description = Markup.Escape($"{value.Name} (failed)");
                        _task.StopTask();
                    }
                    console.MarkupLine($"[yellow]{Markup.Escape(value.Detail ?? "")}[/]");
                    break;
                case DownloadStage.Extracting when _task is not null:
                    _task.Description = Markup.Escape($"{value.Name} (extracting)");
                    break;
                case DownloadStage.Completed when _task is not null:
                    _task.Value = _task.MaxValue;
                    _task.Description = Markup.Escape(value.Name);
                    _task.StopTask();
                    break;
            }
        }
    }
}
