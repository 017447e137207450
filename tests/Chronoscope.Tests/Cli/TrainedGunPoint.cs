using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// One <c>chronoscope train GunPoint --epochs 2</c> run (redirected output, a temporary cache and run folder), shared
/// by the tests that look at what it wrote or use its model: training is the slow part, so it happens once.
/// </summary>
public sealed class TrainedGunPoint : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedGunPoint()
    {
        Cache = _folder.Combine("cache");
        RunFolder = _folder.Combine("run");
        (Code, Output, Error) = CliRunner.RunAsync(["train", "GunPoint", "--epochs", "2", "--batch-size", "64", "--out", RunFolder], Cache).GetAwaiter().GetResult();
    }

    /// <summary>The dataset cache the run used (it holds GunPoint, copied from the library's embedded copy).</summary>
    public string Cache { get; }

    /// <summary>The run's --out folder.</summary>
    public string RunFolder { get; }

    public int Code { get; }

    public string Output { get; }

    public string Error { get; }

    public string ModelPath => Path.Combine(RunFolder, "model.chronoscope");

    public string TestFile => TestData.GunPointTestArff;

    public void Dispose() => _folder.Dispose();
}
