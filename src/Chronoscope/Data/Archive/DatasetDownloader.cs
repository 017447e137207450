using System.Globalization;
using System.IO.Compression;
using System.Net;

namespace Chronoscope.Data.Archive;

/// <summary>
/// Downloads a dataset's zip from each URL template in turn and installs its TRAIN/TEST folder in the cache.
/// Everything in progress lives under hidden names in the cache folder (<c>.Name.&lt;id&gt;.zip.partial</c>,
/// <c>.Name.&lt;id&gt;.tmp</c>) and is deleted on failure or cancellation; the dataset's folder appears with
/// one rename, complete, or not at all.
/// </summary>
internal sealed class DatasetDownloader
{
    private const int BufferSize = 81_920;
    private const long ReportEveryBytes = 64 * 1024;

    /// <summary>Work in progress older than this was left by a process that was killed; a live download is never that old.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    private readonly string _name;
    private readonly string _cache;
    private readonly DatasetSourceOptions _options;
    private readonly IProgress<DownloadProgress>? _progress;

    private DatasetDownloader(string name, string cache, DatasetSourceOptions options, IProgress<DownloadProgress>? progress)
    {
        _name = name;
        _cache = cache;
        _options = options;
        _progress = progress;
    }

    private string FinalFolder => Path.Combine(_cache, _name);

    public static Task<DatasetFiles> DownloadAsync(
        string name, string cache, DatasetSourceOptions options, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken) =>
        new DatasetDownloader(name, cache, options, progress).RunAsync(cancellationToken);

    private async Task<DatasetFiles> RunAsync(CancellationToken cancellationToken)
    {
        if (_options.DownloadUrls.Count == 0)
            throw new ArgumentException("DownloadUrls is empty: give at least one URL template such as https://example.org/{0}.zip", "options");
        Directory.CreateDirectory(_cache);
        DatasetFolder.RemoveStaleTemporaries(_cache, _name, StaleAfter);
        var urls = _options.DownloadUrls.Select(ExpandTemplate).ToList();

        using var overall = new CancellationTokenSource(_options.Timeout);
        // No automatic decompression: byte counts are checked against Content-Length, which counts the bytes as sent.
        using var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"Chronoscope/{typeof(DatasetDownloader).Assembly.GetName().Version?.ToString(3) ?? "0"}");

        var failures = new List<Failure>();
        foreach (var url in urls)
        {
            var (files, failure) = await TryUrlAsync(http, url, overall, cancellationToken).ConfigureAwait(false);
            if (files is not null)
                return files;
            failures.Add(failure!);
            _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Skipped, failure!.BytesReceived, null, failure.Description));
            if (overall.IsCancellationRequested)
                break;
        }
        throw Summarize(urls.Take(failures.Count).ToList(), failures);
    }

    /// <summary><c>https://host/{0}.zip</c> → <c>https://host/GunPoint.zip</c>.</summary>
    private Uri ExpandTemplate(string template) =>
        Expand(template, _name) ?? throw new ArgumentException($"DownloadUrls: expected an http(s) URL template with {{0}} for the name, found '{template}'", "options");

    /// <summary>Whether <paramref name="template"/> is a download URL template: http(s), with <c>{0}</c> for the name.</summary>
    public static bool IsUrlTemplate(string template) => Expand(template, "GunPoint") is not null;

    private static Uri? Expand(string template, string name)
    {
        var text = template.Replace("{0}", Uri.EscapeDataString(name), StringComparison.Ordinal);
        return template.Contains("{0}", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;
    }

    private async Task<(DatasetFiles? Files, Failure? Failure)> TryUrlAsync(
        HttpClient http, Uri url, CancellationTokenSource overall, CancellationToken cancellationToken)
    {
        var zipPath = DatasetFolder.TemporaryPath(_cache, _name, "zip.partial");
        try
        {
            var failure = await DownloadToFileAsync(http, url, zipPath, overall, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                return (null, failure);
            _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Extracting, new FileInfo(zipPath).Length, null));
            return ExtractAndInstall(url, zipPath, cancellationToken);
        }
        finally
        {
            DatasetFolder.TryDeleteFile(zipPath);
        }
    }

    private async Task<Failure?> DownloadToFileAsync(
        HttpClient http, Uri url, string zipPath, CancellationTokenSource overall, CancellationToken cancellationToken)
    {
        // The stall timer is re-armed whenever bytes arrive; the overall timer runs across all URLs.
        using var stall = new CancellationTokenSource(_options.StallTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token, stall.Token);
        var token = linked.Token;
        long received = 0;
        long? total = null;
        _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Connecting, 0, null));
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return new Failure(DownloadFailure.NotFound, $"{url} answered 404 Not Found", 404);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                return new Failure(DownloadFailure.HttpStatus, $"{url} answered {code} {response.ReasonPhrase}".TrimEnd(), code);
            }
            total = response.Content.Headers.ContentLength;
            if (total > _options.MaxDownloadBytes)
                return TooLarge(url, total.Value);
            var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var file = new FileStream(zipPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    var buffer = new byte[BufferSize];
                    long reported = 0;
                    _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Downloading, 0, total));
                    while (true)
                    {
                        stall.CancelAfter(_options.StallTimeout);
                        var read = await body.ReadAsync(buffer, token).ConfigureAwait(false);
                        if (read == 0)
                            break;
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        received += read;
                        if (received > _options.MaxDownloadBytes)
                            return TooLarge(url, received);
                        if (received - reported >= ReportEveryBytes)
                        {
                            _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Downloading, received, total));
                            reported = received;
                        }
                    }
                    if (received != reported)
                        _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Downloading, received, total));
                }
            }
            if (total is long expected && received != expected)
                return ConnectionLost(url, received, total, null);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var description = overall.IsCancellationRequested
                ? $"gave up on {url}: the download took longer than {Describe(_options.Timeout)} (the timeout)"
                : $"{url} sent nothing for {Describe(_options.StallTimeout)}";
            return new Failure(DownloadFailure.Timeout, description, null, received);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError
            or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            return new Failure(DownloadFailure.Unreachable, $"could not reach {url.Authority}: {e.Message}", null, 0, e);
        }
        catch (HttpRequestException e)
        {
            return ConnectionLost(url, received, total, e);
        }
        catch (IOException e) when (IsNetworkError(e))
        {
            return ConnectionLost(url, received, total, e);
        }
    }

    private Failure TooLarge(Uri url, long bytes) =>
        new(DownloadFailure.TooLarge, string.Create(CultureInfo.InvariantCulture,
            $"{url} sent more than {_options.MaxDownloadBytes:N0} bytes ({bytes:N0} so far), the most a dataset download may be (DatasetSourceOptions.MaxDownloadBytes)"), null, bytes);

    /// <summary>An IOException raised by the socket (reset, aborted) rather than by the disk.</summary>
    private static bool IsNetworkError(IOException e) =>
        e.InnerException is System.Net.Sockets.SocketException || e is HttpIOException;

    private static Failure ConnectionLost(Uri url, long received, long? total, Exception? inner)
    {
        var amount = total is long t
            ? $"{received.ToString("N0", CultureInfo.InvariantCulture)} of {t.ToString("N0", CultureInfo.InvariantCulture)} bytes"
            : $"{received.ToString("N0", CultureInfo.InvariantCulture)} bytes";
        var reason = inner is null ? "" : $" ({inner.Message.TrimEnd('.')})";
        return new Failure(DownloadFailure.ConnectionLost, $"{url} closed the connection after {amount}{reason}", null, received, inner);
    }

    private (DatasetFiles? Files, Failure? Failure) ExtractAndInstall(Uri url, string zipPath, CancellationToken cancellationToken)
    {
        var extracted = DatasetFolder.TemporaryPath(_cache, _name, "tmp");
        try
        {
            ZipArchive zip;
            try
            {
                zip = ZipFile.OpenRead(zipPath);
            }
            catch (InvalidDataException e)
            {
                return (null, new Failure(DownloadFailure.InvalidArchive, $"{url} did not send a valid zip archive ({e.Message.TrimEnd('.')})", null, 0, e));
            }
            using (zip)
            {
                var failure = Extract(url, zip, extracted, _options.MaxUnpackedBytes, cancellationToken);
                if (failure is not null)
                    return (null, failure);
            }

            // The pair may sit at the zip's root or in a sub-folder (e.g. GunPoint/); the shallowest folder
            // holding it becomes the dataset's folder, and whatever lies outside that folder is dropped.
            var folders = new[] { extracted }
                .Concat(Directory.EnumerateDirectories(extracted, "*", SearchOption.AllDirectories)
                    .OrderBy(d => d.Count(c => c == Path.DirectorySeparatorChar)).ThenBy(d => d, StringComparer.Ordinal));
            var pairFolder = folders.FirstOrDefault(d => DatasetFolder.FindPair(d, _name, _options.FormatPreference) is not null);
            if (pairFolder is null)
            {
                var held = Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(extracted, f).Replace('\\', '/'))
                    .Order(StringComparer.Ordinal).ToList();
                var listing = held.Count == 0 ? "it is empty"
                    : $"it holds {string.Join(", ", held.Take(6))}{(held.Count > 6 ? $" and {held.Count - 6} more" : "")}";
                return (null, new Failure(DownloadFailure.MissingFiles,
                    $"{url} sent a zip without {_name}_TRAIN and {_name}_TEST files ({DatasetFolder.ExtensionList(_options.FormatPreference)}); {listing}", null));
            }

            cancellationToken.ThrowIfCancellationRequested();
            DatasetFolder.Install(pairFolder, FinalFolder, _options.Force);
            var pair = DatasetFolder.FindPair(FinalFolder, _name, _options.FormatPreference)
                ?? throw new DatasetNotFoundException(_name, FinalFolder, [],
                    $"{FinalFolder} appeared while {_name} was being downloaded but has no {_name}_TRAIN and {_name}_TEST files; delete it and try again.");
            _progress?.Report(new DownloadProgress(_name, url, DownloadStage.Completed, new FileInfo(zipPath).Length, null));
            return (new DatasetFiles(_name, FinalFolder, pair.Train, pair.Test, pair.Format, DatasetOrigin.Downloaded, url), null);
        }
        finally
        {
            DatasetFolder.TryDeleteDirectory(extracted);
        }
    }

    /// <summary>Extracts every entry under <paramref name="folder"/>, after checking that none would land outside it (zip-slip).</summary>
    private static Failure? Extract(Uri url, ZipArchive zip, string folder, long maxUnpackedBytes, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var targets = new List<(ZipArchiveEntry Entry, string Path)>();
        foreach (var entry in zip.Entries)
        {
            var relative = entry.FullName.Replace('\\', '/');
            var target = Path.GetFullPath(Path.Combine(root, relative));
            if (!target.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                return new Failure(DownloadFailure.InvalidArchive,
                    $"{url} sent a zip whose entry '{entry.FullName}' would be written outside the dataset's folder (refused)", null);
            }
            targets.Add((entry, target));
        }
        var unpacked = zip.Entries.Sum(e => e.Length);
        if (unpacked > maxUnpackedBytes)
        {
            return new Failure(DownloadFailure.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"{url} sent a zip that unpacks to {unpacked:N0} bytes, more than {maxUnpackedBytes:N0} (DatasetSourceOptions.MaxUnpackedBytes; refused)"), null);
        }
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var (entry, target) in targets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
        }
        catch (InvalidDataException e)
        {
            return new Failure(DownloadFailure.InvalidArchive, $"{url} did not send a valid zip archive ({e.Message.TrimEnd('.')})", null, 0, e);
        }
        return null;
    }

    private DatasetDownloadException Summarize(IReadOnlyList<Uri> urls, IReadOnlyList<Failure> failures)
    {
        var decisive = failures.FirstOrDefault(f => f.Kind != DownloadFailure.NotFound) ?? failures[0];
        var files = $"{_name}_TRAIN/_TEST files ({DatasetFolder.ExtensionList(_options.FormatPreference)}) in {FinalFolder}";
        var hint = decisive.Kind switch
        {
            DownloadFailure.Unreachable => $"check the network or put {files}",
            DownloadFailure.NotFound => $"the archive has no {_name}.zip at {(urls.Count == 1 ? "this address" : "these addresses")}; put {files}, or give other download URLs",
            DownloadFailure.Timeout => $"check the network and try again (or allow more time), or put {files}",
            _ => $"try again later, or put {files}",
        };
        var message = $"could not download {_name}: {string.Join("; ", failures.Select(f => f.Description))}; {hint}.";
        return new DatasetDownloadException(_name, decisive.Kind, urls, decisive.StatusCode, message, decisive.Inner);
    }

    /// <summary>"10 min", "60 s", "1.5 s".</summary>
    internal static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 && span.Milliseconds == 0
            ? $"{span.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)} min"
            : $"{span.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s";

    private sealed record Failure(DownloadFailure Kind, string Description, int? StatusCode, long BytesReceived = 0, Exception? Inner = null);
}
