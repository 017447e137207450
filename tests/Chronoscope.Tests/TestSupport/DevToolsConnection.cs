using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// A minimal Chrome DevTools Protocol client over one WebSocket to the browser: commands (<c>{id, method, params,
/// sessionId}</c>) answered by id, and events handed to the listeners of their session. Pages are driven through
/// flat sessions (<c>Target.attachToTarget</c> with <c>flatten</c>), so one socket serves the browser and its pages.
/// </summary>
internal sealed class DevToolsConnection : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, Action<string, JsonElement>> _listeners = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private DevToolsConnection()
    {
    }

    /// <summary>Connects to the browser's endpoint, e.g. <c>ws://127.0.0.1:9222/devtools/browser/&lt;id&gt;</c>.</summary>
    public static async Task<DevToolsConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var connection = new DevToolsConnection();
        connection._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await connection._socket.ConnectAsync(endpoint, cancellationToken);
        connection._receiving = Task.Run(connection.ReceiveAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>Sends a command and returns its result; a protocol error becomes an exception naming the method.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method };
        if (parameters is not null)
            message["params"] = JsonSerializer.SerializeToNode(parameters);
        if (sessionId is not null)
            message["sessionId"] = sessionId;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sending.WaitAsync(_stop.Token);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sending.Release();
        }
        return await answer.Task.WaitAsync(CommandTimeout, _stop.Token);
    }

    /// <summary>Calls <paramref name="listener"/> with (method, params) of every event of session <paramref name="sessionId"/>.</summary>
    public void Listen(string sessionId, Action<string, JsonElement> listener) => _listeners[sessionId] = listener;

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                    continue;
                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The browser went away or the connection is closing.
        }
        foreach (var pending in _pending.Values)
            pending.TrySetException(new IOException("the DevTools connection closed before the browser answered"));
    }

    private void Dispatch(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (!_pending.TryRemove(id.GetInt32(), out var answer))
                return;
            if (root.TryGetProperty("error", out var error))
                answer.TrySetException(new InvalidOperationException($"DevTools error: {error.GetRawText()}"));
            else
                answer.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
            return;
        }
        if (root.TryGetProperty("method", out var method) && root.TryGetProperty("sessionId", out var session)
            && _listeners.TryGetValue(session.GetString()!, out var listener))
        {
            listener(method.GetString()!, root.TryGetProperty("params", out var parameters) ? parameters.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // Closing is a courtesy; the browser is stopped next anyway.
        }
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }
}
