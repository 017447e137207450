using System.Text;

namespace Chronoscope.Tests.TestSupport;

/// <summary>How <see cref="LoopbackServer"/> answers one request.</summary>
internal sealed class ServerReply(Func<Stream, CancellationToken, Task> write)
{
    public Task WriteAsync(Stream stream, CancellationToken token) => write(stream, token);

    /// <summary>200 with the body and its Content-Length.</summary>
    public static ServerReply Ok(byte[] body) => new(async (stream, token) =>
    {
        await WriteHeadAsync(stream, 200, "OK", body.Length, token);
        await stream.WriteAsync(body, token);
    });

    /// <summary>An error status with a short text body.</summary>
    public static ServerReply Status(int code, string reason) => new(async (stream, token) =>
    {
        var body = Encoding.ASCII.GetBytes($"{code} {reason}");
        await WriteHeadAsync(stream, code, reason, body.Length, token);
        await stream.WriteAsync(body, token);
    });

    /// <summary>Reads the request, then sends nothing until the server stops.</summary>
    public static ServerReply Silence() => new((_, token) => Task.Delay(Timeout.Infinite, token));

    /// <summary>Announces the whole body, sends its first <paramref name="sent"/> bytes, then closes the connection.</summary>
    public static ServerReply CloseAfter(byte[] body, int sent) => new(async (stream, token) =>
    {
        await WriteHeadAsync(stream, 200, "OK", body.Length, token);
        await stream.WriteAsync(body.AsMemory(0, sent), token);
    });

    /// <summary>Announces the whole body, sends its first <paramref name="sent"/> bytes, then waits until the server stops.</summary>
    public static ServerReply StallAfter(byte[] body, int sent) => new(async (stream, token) =>
    {
        await WriteHeadAsync(stream, 200, "OK", body.Length, token);
        await stream.WriteAsync(body.AsMemory(0, sent), token);
        await stream.FlushAsync(token);
        await Task.Delay(Timeout.Infinite, token);
    });

    /// <summary>Runs <paramref name="before"/>, then replies as <paramref name="reply"/> does.</summary>
    public static ServerReply After(Action before, ServerReply reply) => new((stream, token) =>
    {
        before();
        return reply.WriteAsync(stream, token);
    });

    private static Task WriteHeadAsync(Stream stream, int code, string reason, long length, CancellationToken token)
    {
        var head = $"HTTP/1.1 {code} {reason}\r\nContent-Type: application/zip\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head), token).AsTask();
    }
}
