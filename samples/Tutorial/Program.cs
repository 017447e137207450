using System.Globalization;
using Chronoscope;
using Chronoscope.Training;
using Chronoscope.Tutorial;

// dotnet run --project samples/Tutorial -c Release [-- output-folder [epochs]]
// First, as the command line's training commands do: glibc's heap on transparent huge pages and methods compiled
// optimized from the start (a restart of this process where that helps), glibc kept from trimming and mapping
// memory again after every batch, and tensors' large blocks kept for reuse by size (see TorchRuntime).
TorchRuntime.RestartWithHugePages(compileOptimized: true);
TorchRuntime.TuneAllocator();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var options = new TutorialOptions
{
    OutputFolder = args.Length > 0 ? args[0] : "chronoscope-tutorial",
    Epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 25,
};
// Notes and one row per epoch, as fastai prints them.
var table = new EpochTable(["accuracy"]);
var progress = new SynchronousProgress(report =>
{
    if (report.Note is { } note)
        Console.WriteLine($"note: {note}");
    if (report.Result is { } epoch)
        Console.WriteLine(table.Row(epoch));
});
Console.WriteLine(table.Header);
try
{
    var result = GunPointTutorial.Run(options, progress, cancel.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"validation accuracy {result.Accuracy:F4}; wrote:"));
    foreach (var file in result.Files)
        Console.WriteLine($"  {file}");
    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled: the files written so far are complete; nothing is half-written.");
    return 130;
}

/// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
