using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, for download tests: each connection serves one
/// GET, answered by <see cref="ServerReply"/> chosen from the request's path. It records the paths it was asked
/// for and stops on dispose (which also releases replies that stall).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, ServerReply> _route;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;

    public LoopbackServer(Func<string, ServerReply> route)
    {
        _route = route;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The request paths received so far, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>A URL template <c>http://127.0.0.1:port/&lt;folder&gt;/{0}.zip</c> for <c>DatasetSourceOptions.DownloadUrls</c>.</summary>
    public string UrlTemplate(string folder) => $"http://127.0.0.1:{Port}/{folder}/{{0}}.zip";

    /// <summary>A loopback port on which nothing listens (taken free, then released).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var path = await ReadRequestPathAsync(stream, _stop.Token);
                if (path is null)
                    return;
                _requests.Enqueue(path);
                await _route(path).WriteAsync(stream, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream, CancellationToken token)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, token) == 0)
                return null;
            head.Append((char)buffer[0]);
            if (head.Length > 16 * 1024)
                return null;
        }
        var requestLine = head.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length >= 2 ? requestLine[1] : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }
}
