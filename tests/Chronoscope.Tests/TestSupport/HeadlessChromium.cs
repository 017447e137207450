using System.Diagnostics;
using System.Text;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// Debian's <c>/usr/bin/chromium</c>, started headless with a profile of its own in a temporary folder and a
/// DevTools port chosen by the browser (<c>--remote-debugging-port=0</c>, read back from the profile's
/// <c>DevToolsActivePort</c> file), with everything that would reach the network turned off. Disposing stops the
/// browser (the process this started, and its children) and deletes the profile.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TempFolder _profile;
    private readonly StringBuilder _errorOutput;

    private HeadlessChromium(Process process, TempFolder profile, StringBuilder errorOutput, DevToolsConnection connection)
    {
        _process = process;
        _profile = profile;
        _errorOutput = errorOutput;
        Connection = connection;
    }

    public DevToolsConnection Connection { get; }

    /// <summary>What the browser wrote on standard error so far (for messages when something fails).</summary>
    public string ErrorOutput
    {
        get
        {
            lock (_errorOutput)
                return _errorOutput.ToString();
        }
    }

    /// <summary>Starts the browser and connects to it.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed (the message says how to install it), or it did not start.</exception>
    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} not found: the report's browser tests need Debian's chromium. Install it with " +
                "'apt-get update && apt-get install -y chromium' (.ci/run does this when chromium is missing).");
        }
        var profile = new TempFolder();
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-default-apps", "--mute-audio", "--hide-scrollbars", $"--user-data-dir={profile.Path}",
            "--remote-debugging-port=0", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }
        var errors = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
                errors.AppendLine(e.Data);
        };
        process.OutputDataReceived += (_, _) => { };
        try
        {
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var endpoint = await WaitForEndpointAsync(process, profile, errors, cancellationToken);
            var connection = await DevToolsConnection.ConnectAsync(endpoint, cancellationToken);
            return new HeadlessChromium(process, profile, errors, connection);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>A new tab, attached through a flat session, with Runtime, Log and Page events on.</summary>
    public async Task<DevToolsPage> OpenPageAsync()
    {
        var target = await Connection.SendAsync("Target.createTarget", new { url = "about:blank" });
        var attached = await Connection.SendAsync("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true });
        var page = new DevToolsPage(Connection, attached.GetProperty("sessionId").GetString()!);
        await page.EnableAsync();
        return page;
    }

    private static async Task<Uri> WaitForEndpointAsync(Process process, TempFolder profile, StringBuilder errors, CancellationToken cancellationToken)
    {
        var file = profile.Combine("DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                lock (errors)
                    throw new InvalidOperationException($"chromium exited with code {process.ExitCode} before opening its DevTools port: {errors}");
            }
            if (File.Exists(file))
            {
                // Line 1: the port; line 2: the browser's WebSocket path. The file may be caught half written.
                var lines = (await File.ReadAllTextAsync(file, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (lines.Length >= 2 && int.TryParse(lines[0], out var port))
                    return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new InvalidOperationException($"chromium wrote no DevToolsActivePort within {StartTimeout.TotalSeconds} s: {errors}");
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started, or has already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or OperationCanceledException)
        {
            // Stopped below either way.
        }
        await Connection.DisposeAsync();
        if (!_process.WaitForExit(5_000))
            Stop(_process);
        _process.Dispose();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _profile.Dispose();
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(100); // a child process may still be closing a file in the profile
            }
        }
    }
}
