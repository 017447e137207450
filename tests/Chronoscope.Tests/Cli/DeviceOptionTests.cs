using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

public sealed class DeviceOptionTests
{
    [Theory]
    [InlineData("gpu", "error: --device gpu: expected cpu, cuda or cuda:N (a GPU's index).")]
    [InlineData("cuda", "error: --device cuda: CUDA is not available: this build references TorchSharp-cpu")]
    public async Task Should_Refuse_A_Device_It_Cannot_Use_In_One_Line(string device, string expected)
    {
        using var folder = new TempFolder();

        var (code, output, error) = await CliRunner.RunAsync(["model", "summary", "--device", device], folder.Path);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Compute_On_The_Cpu_When_Asked()
    {
        using var folder = new TempFolder();

        var (code, output, _) = await CliRunner.RunAsync(["model", "summary", "--device", "cpu"], folder.Path);

        Assert.Equal(0, code);
        Assert.Contains("421,666", output, StringComparison.Ordinal);
    }
}
