using System.Globalization;
using Spectre.Console;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Progress through a known number of items: a live bar on an interactive terminal, otherwise a plain line at every
/// tenth (<c>explaining: 450 of 4,500</c>), so redirected output stays short and greppable.
/// </summary>
internal static class ItemProgress
{
    /// <summary>
    /// Runs <paramref name="work"/> on this thread with an <see cref="IProgress{T}"/> of items done (for the library's
    /// progress parameters), reported at once on this thread. With <paramref name="linesWhenRedirected"/> false,
    /// redirected output gets no progress lines, only terminals a bar.
    /// </summary>
    public static void RunReporting(CliContext context, string description, int total, Action<IProgress<int>> work, bool linesWhenRedirected = true)
    {
        if (!context.IsInteractive && !linesWhenRedirected)
        {
            work(new Reporter(_ => { }));
            return;
        }
        Run(context, description, total, report => work(new Reporter(report)));
    }

    /// <summary>Runs <paramref name="work"/> on this thread, handing it a callback to report how many items are done.</summary>
    public static void Run(CliContext context, string description, int total, Action<Action<int>> work)
    {
        if (!context.IsInteractive)
        {
            var tenthsShown = 0;
            work(done =>
            {
                var tenths = total == 0 ? 10 : (int)((long)done * 10 / total);
                if (tenths <= tenthsShown)
                    return;
                tenthsShown = tenths;
                CliContext.WriteLine(context.Output,
                    $"{description}: {done.ToString("N0", CultureInfo.InvariantCulture)} of {total.ToString("N0", CultureInfo.InvariantCulture)}");
            });
            return;
        }
        context.Output.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(display =>
            {
                var task = display.AddTask(Markup.Escape(description), maxValue: total);
                work(done => task.Value = done);
            });
    }

    /// <summary>Reports synchronously (unlike <see cref="Progress{T}"/>, which posts to a synchronization context).</summary>
    private sealed class Reporter(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
