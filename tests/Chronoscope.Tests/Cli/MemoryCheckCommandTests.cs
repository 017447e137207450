using System.Globalization;
using System.Text;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// The command line's memory check, on a machine the test assumes: work that cannot fit is one red line, exit code 1 and
/// no output, before anything of its size is built; work beyond the memory available now is a yellow warning, and goes on.
/// </summary>
public sealed class MemoryCheckCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;

    public MemoryCheckCommandTests()
    {
        _model = _folder.Combine("model.chronoscope");
        using var classifier = SmallModels.GunPoint();
        classifier.Save(_model);
    }

    public void Dispose() => _folder.Dispose();

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args, _folder.Combine("cache"));

    [Fact]
    public async Task Should_Refuse_To_Predict_A_Series_Too_Long_For_The_Machine_Without_Writing_Anything()
    {
        // Given one series of 200,000 steps, and a machine of 500 MB: predicting it would need 576 MB
        var values = new StringBuilder("1");
        for (var t = 0; t < 200_000; t++)
            values.Append('\t').Append(((t % 100) / 50.0).ToString(CultureInfo.InvariantCulture));
        var data = _folder.Write("long.tsv", values.Append('\n').ToString());
        var output = _folder.Combine("predictions.csv");
        using var machine = MachineMemory.Assume(new MachineMemory(500_000_000, 500_000_000, "MemTotal"));

        // When it is predicted
        var (code, _, error) = await RunAsync("predict", data, "--model", _model, "--out", output);

        // Then one error line says why and how to fit, the exit code is 1, and no file is written
        Assert.Equal(1, code);
        var line = Assert.Single(CliRunner.Lines(error), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Equal($"error: {data}: predicting series of 200,000 steps, one at a time, needs about 575 MB of memory, more than the 500 MB this machine has in all (MemTotal): " +
            "the system would kill it part way, without a message. To fit: shorter series (resample or crop them), or use a machine with more memory.", line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Should_Predict_With_A_Warning_When_The_Passes_Need_More_Than_Is_Available_Now()
    {
        // Given GunPoint's test file, and a large machine with no memory free beyond what the process holds
        var output = _folder.Combine("predictions.csv");
        using var machine = MachineMemory.Assume(new MachineMemory(100L << 30, 0, "MemTotal"));

        // When it is predicted
        var (code, _, error) = await RunAsync("predict", TestData.GunPointTestArff, "--model", _model, "--out", output);

        // Then it predicts, with one warning
        Assert.Equal(0, code);
        var warning = Assert.Single(CliRunner.Lines(error), l => l.Contains("available to it now", StringComparison.Ordinal));
        Assert.StartsWith($"warning: {TestData.GunPointTestArff}: predicting series of 150 steps, one at a time, needs about", warning, StringComparison.Ordinal);
        Assert.Equal(151, File.ReadAllLines(output).Length);
    }

    [Fact]
    public async Task Should_Refuse_An_Explicit_Training_Batch_That_Cannot_Fit_And_Suggest_One_That_Does()
    {
        // Given room for a training step of 5 GunPoint series through the default network in all
        var total = MemoryBudget.Estimate(MemoryPass.Training, 5, 150, new InceptionTimeOptions());
        var run = _folder.Combine("run");
        using var machine = MachineMemory.Assume(new MachineMemory(total, total, "MemTotal"));

        // When it trains in batches of 64
        var (code, output, error) = await RunAsync("train", "--train", TestData.GunPointTrainArff, "--test", TestData.GunPointTestArff,
            "--batch-size", "64", "--epochs", "1", "--no-report", "--out", run);

        // Then it is refused before anything is printed or written, with a batch that fits
        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith($"error: {TestData.GunPointTrainArff}: training on series of 150 steps, 50 at a time, needs about", line, StringComparison.Ordinal);
        Assert.Contains("To fit: a batch of at most 5 series,", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any());
    }

    [Fact]
    public async Task Should_Shrink_The_Automatic_Training_Batch_To_The_Available_Memory_And_Say_So()
    {
        // Given room for a training step of 3 GunPoint series through the default network free now
        var available = MemoryBudget.Estimate(MemoryPass.Training, 3, 150, new InceptionTimeOptions()) - MemoryBudget.ProcessBytes; // the process's own is resident
        var run = _folder.Combine("run");
        using var machine = MachineMemory.Assume(new MachineMemory(100L << 30, available, "MemTotal"));

        // When it trains with the automatic batch
        var (code, output, error) = await RunAsync("train", "--train", TestData.GunPointTrainArff, "--test", TestData.GunPointTestArff,
            "--epochs", "1", "--no-report", "--out", run);

        // Then it trains in batches of 3, and a note says why
        Assert.Equal(0, code);
        Assert.Contains("batch size 3,", output, StringComparison.Ordinal);
        var note = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith("note: batch size 3 instead of 12 (auto): 12 series of 150 steps would need about", note, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "model.chronoscope")));
    }
}
