using System.Globalization;
using System.Text.Json;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>One <c>train GunPoint --ensemble 2</c> run of a tiny network, shared by the tests below.</summary>
public sealed class TrainedEnsemble : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedEnsemble()
    {
        Cache = _folder.Combine("cache");
        RunFolder = _folder.Combine("run");
        (Code, Output, Error) = CliRunner.RunAsync(
            ["train", "GunPoint", "--ensemble", "2", "--epochs", "2", "--depth", "1", "--filters", "16", "--threads", "1", "--no-report", "--out", RunFolder], Cache)
            .GetAwaiter().GetResult();
    }

    public string Cache { get; }

    public string RunFolder { get; }

    public int Code { get; }

    public string Output { get; }

    public string Error { get; }

    public string Combine(params string[] parts) => _folder.Combine(parts);

    public void Dispose() => _folder.Dispose();
}

public sealed class EnsembleCommandTests(TrainedEnsemble run) : IClassFixture<TrainedEnsemble>
{
    [Fact]
    public void Should_Save_Both_Networks_In_One_Model_Whose_Accuracy_Is_The_Reported_One()
    {
        // Given the run's model file and metrics.json
        Assert.True(run.Code == 0, run.Error);
        using var model = TimeSeriesClassifier.Load(Path.Combine(run.RunFolder, "model.chronoscope"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        var root = json.RootElement;

        // When the model predicts the TEST file
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var accuracy = model.Predict(test).Accuracy!.Value;

        // Then it holds two networks (seeds 42 and 43), and its accuracy is the ensemble's in metrics.json and the output
        Assert.Equal(2, model.Members.Count);
        var ensemble = root.GetProperty("ensemble");
        Assert.Equal(2, ensemble.GetProperty("members").GetInt32());
        Assert.Equal([42, 43], ensemble.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(accuracy, root.GetProperty("final").GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-9);
        Assert.Contains($"ensemble of 2: accuracy {accuracy.ToString("F6", CultureInfo.InvariantCulture)}", run.Output, StringComparison.Ordinal);
        Assert.Contains("network 2 of 2 (seed 43)", run.Output, StringComparison.Ordinal);
        Assert.Equal(150, root.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64()));
    }

    [Fact]
    public void Should_Log_Every_Networks_Epochs_Under_A_Member_Column()
    {
        var lines = File.ReadAllLines(Path.Combine(run.RunFolder, "epochs.csv"));

        Assert.Equal("member,epoch,train_loss,valid_loss,accuracy,seconds", lines[0]);
        Assert.Equal(["1,0", "1,1", "2,0", "2,1"], lines.Skip(1).Select(l => string.Join(',', l.Split(',')[..2])));
        // and the record's fit time covers both networks' epochs, not the last network's alone
        var epochSeconds = lines.Skip(1).Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture)).ToList();
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        var fitSeconds = record.RootElement.GetProperty("timings").GetProperty("fit_seconds").GetDouble();
        Assert.True(fitSeconds >= epochSeconds.Sum() - 0.01, $"fit {fitSeconds} s, the epochs {epochSeconds.Sum()} s");
    }

    [Fact]
    public async Task Should_Ask_Which_Network_To_Export_And_Export_The_One_Chosen()
    {
        var model = Path.Combine(run.RunFolder, "model.chronoscope");
        var weights = run.Combine("member2.pt");

        var (refused, _, refusal) = await CliRunner.RunAsync(["export", "--model", model, "--to", "pytorch", "--out", weights], run.Cache);
        var (code, _, error) = await CliRunner.RunAsync(["export", "--model", model, "--to", "pytorch", "--out", weights, "--member", "2"], run.Cache);
        var (beyond, _, beyondError) = await CliRunner.RunAsync(["export", "--model", model, "--to", "pytorch", "--out", weights, "--member", "3"], run.Cache);

        Assert.Equal(2, refused);
        Assert.Contains("is an ensemble of 2 networks and each format holds one: give --member 1 to 2.", refusal, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(weights));
        Assert.Equal(2, beyond);
        Assert.Contains("--member 3: expected 1 to 2", beyondError, StringComparison.Ordinal);
    }
}
