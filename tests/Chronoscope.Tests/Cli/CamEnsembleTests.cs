using System.Globalization;
using Chronoscope.Cli;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;
using Spectre.Console.Testing;

namespace Chronoscope.Tests.Cli;

/// <summary><c>chronoscope cam</c> on an ensemble of two small untrained GunPoint networks: the CSV carries the members' spread.</summary>
public sealed class CamEnsembleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("0,3,17", false)]   // a figure's few items, each map scaled to 0..1
    [InlineData("0-19", true)]      // more than 16: the CSV streamed batch by batch, raw values
    public async Task Should_Write_The_Standard_Deviation_Of_The_Members_Maps_Next_To_Their_Mean(string items, bool raw)
    {
        // Given an ensemble of two networks saved in one file
        var modelPath = _folder.Combine("ensemble.chronoscope");
        using (var a = SmallModels.GunPoint(seed: 1))
        using (var b = SmallModels.GunPoint(seed: 2))
        using (var ensemble = TimeSeriesClassifier.Ensemble([a, b]))
            ensemble.Save(modelPath);

        // When cam explains items of the TEST file with it (the default Grad-CAM, target label)
        var output = _folder.Combine("out");
        using var console = new TestConsole();
        using var errors = new TestConsole();
        var code = await new ChronoscopeCli(new CliContext(console, errors)).RunAsync(
            ["cam", "--model", modelPath, "--data", TestData.GunPointTestArff, "--items", items, "--out", output, "--name", "maps", .. raw ? new[] { "--raw" } : []]);
        Assert.True(code == ExitCodes.Success, errors.Output);
        var rows = File.ReadAllLines(Path.Combine(output, "maps.csv")).Select(l => l.Split(',')).ToArray();

        // and each member alone explains the same items, raw, from which the mean, its scaling and the sd are computed by hand
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        int[] indices = [.. rows.Skip(1).Select(r => int.Parse(r[0], CultureInfo.InvariantCulture))];
        var raws = new[] { 1, 2 }.Select(seed =>
        {
            using var member = SmallModels.GunPoint(seed);
            var maps = new Explainer(member).Explain(data, indices, new ExplainOptions { ForceScale = false });
            return Enumerable.Range(0, indices.Length).Select(k => maps.Map(k).ToArray()).ToArray();
        }).ToArray();

        // Then the header has the 150 map columns, then 150 member_sd columns
        const int length = 150;
        Assert.Equal(["item", "label", "explained", "predicted", "confidence", .. Enumerable.Range(0, length).Select(t => $"t{t}"), .. Enumerable.Range(0, length).Select(t => $"member_sd_t{t}")], rows[0]);
        Assert.Equal(raw ? 20 : 3, indices.Length);
        Assert.Contains("ensemble of 2 networks: each map is the mean of their maps; member_sd_t* in the CSV is their standard deviation", console.Output, StringComparison.Ordinal);
        for (var k = 0; k < indices.Length; k++)
        {
            var row = rows[k + 1];
            Assert.Equal(5 + (2 * length), row.Length);
            var mean = Enumerable.Range(0, length).Select(t => (raws[0][k][t] + raws[1][k][t]) / 2.0).ToArray();
            var sd = Enumerable.Range(0, length).Select(t => Math.Abs(raws[0][k][t] - raws[1][k][t]) / 2.0).ToArray(); // two values: half their distance
            var (low, high) = (mean.Min(), mean.Max());
            var factor = raw ? 1 : 1 / (high - low);
            var offset = raw ? 0 : low;
            var tolerance = 1e-4 * Math.Max(Math.Abs(low), Math.Abs(high)) * factor;
            var maps = row[5..(5 + length)].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var spread = row[(5 + length)..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(sd.Max() > 100 * tolerance / factor, $"item {indices[k]}: the members agree too closely for the test to mean anything");
            for (var t = 0; t < length; t++)
            {
                Assert.True(Math.Abs(maps[t] - ((mean[t] - offset) * factor)) <= tolerance, $"item {indices[k]} step {t}: map {maps[t]} vs {(mean[t] - offset) * factor}");
                Assert.True(Math.Abs(spread[t] - (sd[t] * factor)) <= tolerance, $"item {indices[k]} step {t}: member_sd {spread[t]} vs {sd[t] * factor}");
            }
        }
    }
}
