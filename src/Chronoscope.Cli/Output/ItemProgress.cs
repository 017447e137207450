using System.Globalization;
using Spectre.Console;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Progress through a known number of items: a live bar on an interactive terminal, otherwise a plain line at every
/// tenth (<c>explaining: 450 of 4,500</c>), so redirected output stays short and greppable.
/// </summary>
internal static class ItemProgress
{
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
}
