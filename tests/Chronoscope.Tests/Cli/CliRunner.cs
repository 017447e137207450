using Chronoscope.Cli;
using Chronoscope.Data.Archive;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>Runs a command line in-process against captured consoles.</summary>
internal static class CliRunner
{
    /// <summary>Runs <paramref name="args"/> with redirected (non-terminal) output and datasets cached in <paramref name="cache"/>.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string cache, CancellationToken cancellationToken = default)
    {
        var output = CapturedConsole.Redirected();
        var error = CapturedConsole.Redirected();
        var code = await RunAsync(args, cache, output, error, cancellationToken);
        return (code, output.Text, error.Text);
    }

    public static Task<int> RunAsync(string[] args, string cache, CapturedConsole output, CapturedConsole error, CancellationToken cancellationToken = default)
    {
        // Downloads would go to a port nobody listens on: these tests use the embedded GunPoint and local files only.
        var options = new DatasetSourceOptions { CacheFolder = cache, DownloadUrls = [$"http://127.0.0.1:{LoopbackServer.UnusedPort()}/{{0}}.zip"] };
        return new ChronoscopeCli(new CliContext(output.Console, error.Console, options)).RunAsync(args, cancellationToken);
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
