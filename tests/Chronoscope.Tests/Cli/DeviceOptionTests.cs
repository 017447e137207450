using Chronoscope.Cli;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

public sealed class DeviceOptionTests
{
    [Theory]
    [InlineData("gpu", 2, "error: --device gpu: expected cpu, cuda or cuda:N (a GPU's index).")]
    [InlineData("cuda", 1, "error: --device cuda: CUDA is not available: this build references TorchSharp-cpu")]
    public async Task Should_Refuse_A_Device_It_Cannot_Use_In_One_Line(string device, int exitCode, string expected)
    {
        using var folder = new TempFolder();

        var (code, output, error) = await CliRunner.RunAsync(["model", "summary", "--device", device], folder.Path);

        Assert.Equal(exitCode, code); // a malformed name is a wrong command line (2); a device this build lacks, the environment (1)
        Assert.Equal("", output);
        Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Compute_On_The_Cpu_When_Asked()
    {
        using var folder = new TempFolder();

        var (code, output, _) = await CliRunner.RunAsync(["model", "summary", "--device", "cpu"], folder.Path);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("421,666", output, StringComparison.Ordinal);
    }
}
