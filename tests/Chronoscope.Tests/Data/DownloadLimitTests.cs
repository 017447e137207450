using Chronoscope.Data.Archive;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>Downloads and zips larger than the options allow are cut off with one clear error and leave nothing behind.</summary>
public sealed class DownloadLimitTests : IDisposable
{
    private readonly TempFolder _temporary = new();

    private string Cache => _temporary.Combine("cache");

    public void Dispose() => _temporary.Dispose();

    private DatasetSourceOptions Options(LoopbackServer server, long maxDownload, long maxUnpacked) => new()
    {
        CacheFolder = Cache,
        UseEmbedded = false,
        DownloadUrls = [server.UrlTemplate("a")],
        StallTimeout = TimeSpan.FromSeconds(20),
        Timeout = TimeSpan.FromSeconds(60),
        MaxDownloadBytes = maxDownload,
        MaxUnpackedBytes = maxUnpacked,
    };

    [Fact]
    public async Task Should_Cut_Off_A_Download_Larger_Than_The_Limit()
    {
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server, zip.Length / 2, long.MaxValue)));

        Assert.Equal(DownloadFailure.TooLarge, error.Failure);
        Assert.Contains($"sent more than {zip.Length / 2:N0} bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(_temporary.Entries(Cache));
    }

    [Fact]
    public async Task Should_Refuse_A_Zip_That_Unpacks_Beyond_The_Limit()
    {
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server, long.MaxValue, 1000)));

        Assert.Equal(DownloadFailure.TooLarge, error.Failure);
        Assert.Contains("more than 1,000 (DatasetSourceOptions.MaxUnpackedBytes; refused)", error.Message, StringComparison.Ordinal);
        Assert.Empty(_temporary.Entries(Cache));
    }
}
