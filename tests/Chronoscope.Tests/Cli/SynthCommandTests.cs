using Chronoscope.Cli;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

public sealed class SynthCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Should_Write_Ts_Files_And_Masks_That_Match_The_Library()
    {
        var output = Path.Combine(_folder.Path, "out");

        var (code, text, error) = await CliRunner.RunAsync(
            ["datasets", "synth", "--out", output, "--name", "Bumps", "--train", "10", "--test", "6", "--channels", "2", "--length", "30", "--pattern-length", "5", "--planted-channels", "0", "--seed", "4"],
            _folder.Path);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        var train = DatasetReader.Read(Path.Combine(output, "Bumps_TRAIN.ts"));
        var expected = PlantedPatternData.Create(new PlantedPatternOptions { Count = 10, Channels = 2, Length = 30, PatternLength = 5, PlantedChannels = [0], Seed = 4 }, "Bumps");
        Assert.Equal(expected.Data.Values.ToArray(), train.Values.ToArray());
        Assert.Equal(expected.MaskCsv(), File.ReadAllText(Path.Combine(output, "Bumps_TRAIN_mask.csv")));
        Assert.Equal(6, DatasetReader.Read(Path.Combine(output, "Bumps_TEST.ts")).Count);
        Assert.Contains("a bump of 5 steps", text);
    }

    [Theory]
    [InlineData("1", "0")] // one channel: the pattern in it (the default channel 1 does not exist)
    [InlineData("3", "1")] // the library's default, the middle channel
    public async Task Should_Plant_In_A_Channel_That_Exists_When_None_Is_Named(string channels, string expected)
    {
        var output = Path.Combine(_folder.Path, "out" + channels);

        var (code, text, error) = await CliRunner.RunAsync(["datasets", "synth", "--out", output, "--channels", channels, "--length", "30", "--train", "4", "--test", "4"], _folder.Path);

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains($"in channel(s) {expected}, noise", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--pattern-length", "31", "--pattern-length 31: longer than the series (--length 30)")]
    [InlineData("--shape", "spike", "--shape spike: expected one of bump, step, sine-burst")]
    [InlineData("--planted-channels", "3", "--planted-channels 3: expected distinct channel indices from 0 to 2")]
    public async Task Should_Refuse_Bad_Settings_And_Write_Nothing(string option, string value, string message)
    {
        var output = Path.Combine(_folder.Path, "out");

        var (code, _, error) = await CliRunner.RunAsync(["datasets", "synth", "--out", output, "--length", "30", option, value], _folder.Path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error);
        Assert.Single(CliRunner.Lines(error));
        Assert.False(Directory.Exists(output));
    }
}
