using System.Collections.Concurrent;
using System.Text.Json;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// One browser tab driven through the DevTools Protocol: navigate and wait for the load event, evaluate script,
/// emulate a screen size, take a screenshot of the whole page; and every error the page reports, from
/// <c>console.error</c> (Runtime.consoleAPICalled), uncaught exceptions (Runtime.exceptionThrown) and the browser's own
/// log (Log.entryAdded at level error: failed loads, rejected SVG attributes and the like).
/// </summary>
internal sealed class DevToolsPage
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    private readonly DevToolsConnection _connection;
    private readonly string _session;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DevToolsPage(DevToolsConnection connection, string session)
    {
        _connection = connection;
        _session = session;
        connection.Listen(session, OnEvent);
    }

    /// <summary>Every error reported since the page was opened, one line each.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Every console message and log entry, whatever its level (for failure messages).</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    public async Task EnableAsync()
    {
        await Send("Runtime.enable");
        await Send("Log.enable");
        await Send("Page.enable");
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(Uri url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await Send("Page.navigate", new { url = url.AbsoluteUri });
        if (result.TryGetProperty("errorText", out var error))
            throw new InvalidOperationException($"could not open {url}: {error.GetString()}");
        await _loaded.Task.WaitAsync(LoadTimeout);
    }

    /// <summary>The value of a script expression (awaited when it is a promise), as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await Send("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException($"the script failed: {exception.GetRawText()}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Emulates a screen of <paramref name="width"/> × <paramref name="height"/> CSS pixels (a phone when <paramref name="mobile"/>) and waits for the new layout.</summary>
    public async Task SetViewportAsync(int width, int height, bool mobile)
    {
        await Send("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile });
        await EvaluateAsync("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
    }

    /// <summary>A PNG of the whole page (not just the visible part) at the current width.</summary>
    public async Task<byte[]> CaptureFullPageAsync()
    {
        var size = await EvaluateAsync("({ width: document.documentElement.clientWidth, height: document.documentElement.scrollHeight })");
        var clip = new { x = 0, y = 0, width = size.GetProperty("width").GetInt32(), height = size.GetProperty("height").GetInt32(), scale = 1 };
        var shot = await Send("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true, clip });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    private Task<JsonElement> Send(string method, object? parameters = null) => _connection.SendAsync(method, parameters, _session);

    private void OnEvent(string method, JsonElement parameters)
    {
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled":
                var type = parameters.GetProperty("type").GetString();
                var text = string.Join(" ", parameters.GetProperty("args").EnumerateArray().Select(Describe));
                _messages.Enqueue($"console.{type}: {text}");
                if (type == "error" || type == "assert")
                    _errors.Enqueue($"console.{type}: {text}");
                break;
            case "Runtime.exceptionThrown":
                var details = parameters.GetProperty("exceptionDetails");
                var exception = details.TryGetProperty("exception", out var thrown) && thrown.TryGetProperty("description", out var description)
                    ? description.GetString()
                    : details.GetProperty("text").GetString();
                _errors.Enqueue($"exception: {exception}");
                _messages.Enqueue($"exception: {exception}");
                break;
            case "Log.entryAdded":
                var entry = parameters.GetProperty("entry");
                var line = $"log.{entry.GetProperty("level").GetString()} ({entry.GetProperty("source").GetString()}): {entry.GetProperty("text").GetString()}" +
                    (entry.TryGetProperty("url", out var url) ? $" [{url.GetString()}]" : "");
                _messages.Enqueue(line);
                if (entry.GetProperty("level").GetString() == "error")
                    _errors.Enqueue(line);
                break;
        }
    }

    private static string Describe(JsonElement argument) =>
        argument.TryGetProperty("value", out var value) ? value.ToString()
        : argument.TryGetProperty("description", out var description) ? description.GetString() ?? ""
        : argument.GetProperty("type").GetString() ?? "";
}
