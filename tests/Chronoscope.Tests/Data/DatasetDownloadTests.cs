using System.Diagnostics;
using Chronoscope.Data.Archive;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>Downloads against a server on 127.0.0.1: success, every failure, and nothing half-written.</summary>
public sealed class DatasetDownloadTests : IDisposable
{
    private readonly TempFolder _temporary = new();

    private string Cache => _temporary.Combine("cache");

    public void Dispose() => _temporary.Dispose();

    /// <summary>GunPoint from <paramref name="server"/> (the embedded copy switched off), trying the folders a/ then b/.</summary>
    private DatasetSourceOptions Options(LoopbackServer server, params string[] folders) => new()
    {
        CacheFolder = Cache,
        UseEmbedded = false,
        DownloadUrls = [.. (folders.Length == 0 ? ["a"] : folders).Select(server.UrlTemplate)],
        StallTimeout = TimeSpan.FromSeconds(20),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The cache holds nothing: no dataset folder, no partial zip, no temporary folder.</summary>
    private void AssertNothingHalfWritten() => Assert.Empty(_temporary.Entries(Cache));

    [Fact]
    public async Task Should_Download_Extract_And_Then_Use_The_Cache_Without_A_Request()
    {
        // Given a server that serves GunPoint's zip
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));
        var progress = new RecordingProgress<DownloadProgress>();

        // When GunPoint is asked for
        var files = await Datasets.GetAsync("GunPoint", Options(server), progress);

        // Then the files are in place, identical to the zipped ones
        Assert.Equal(DatasetOrigin.Downloaded, files.Origin);
        Assert.Equal(Path.Combine(Cache, "GunPoint"), files.Folder);
        Assert.Equal(DatasetFormat.Arff, files.Format);
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTrainArff), File.ReadAllBytes(files.TrainPath));
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTestArff), File.ReadAllBytes(files.TestPath));
        Assert.Equal(["GunPoint", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _temporary.Entries(Cache));
        Assert.Equal(["/a/GunPoint.zip"], server.Requests);

        // and progress went Connecting → Downloading (growing to the zip's size, which was announced) → Extracting → Completed
        var events = progress.Events;
        Assert.Equal(DownloadStage.Connecting, events[0].Stage);
        Assert.Equal(new Uri(server.UrlTemplate("a").Replace("{0}", "GunPoint")), events[0].Url);
        var downloading = events.Where(e => e.Stage == DownloadStage.Downloading).ToList();
        Assert.True(downloading.Count >= 2, $"expected several byte counts for a {zip.Length}-byte zip, found {downloading.Count}");
        Assert.All(downloading, e => Assert.Equal(zip.Length, e.TotalBytes));
        Assert.Equal(downloading.Select(e => e.BytesReceived).Order(), downloading.Select(e => e.BytesReceived));
        Assert.Equal(zip.Length, downloading[^1].BytesReceived);
        Assert.Equal([DownloadStage.Extracting, DownloadStage.Completed], events.TakeLast(2).Select(e => e.Stage));

        // When it is asked for again
        var again = await Datasets.GetAsync("GunPoint", Options(server));

        // Then the cache answers and the server sees no second request
        Assert.Equal(DatasetOrigin.Cache, again.Origin);
        Assert.Equal(["/a/GunPoint.zip"], server.Requests);
    }

    [Fact]
    public async Task Should_Try_The_Next_Url_When_The_First_Answers_404()
    {
        // Given a server where a/ has nothing and b/ has the zip
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(path => path.StartsWith("/b/", StringComparison.Ordinal) ? ServerReply.Ok(zip) : ServerReply.Status(404, "Not Found"));
        var progress = new RecordingProgress<DownloadProgress>();

        // When GunPoint is asked for with a/ then b/
        var files = await Datasets.GetAsync("GunPoint", Options(server, "a", "b"), progress);

        // Then both were asked in order, the skip was reported, and the dataset is in place
        Assert.Equal(["/a/GunPoint.zip", "/b/GunPoint.zip"], server.Requests);
        Assert.Contains(progress.Events, e => e.Stage == DownloadStage.Skipped && e.Detail!.Contains("404"));
        Assert.Equal(DatasetOrigin.Downloaded, files.Origin);
        Assert.Equal(new Uri($"http://127.0.0.1:{server.Port}/b/GunPoint.zip"), files.Url);
        Assert.True(File.Exists(files.TestPath));
    }

    [Fact]
    public async Task Should_List_The_Urls_When_Every_One_Answers_404()
    {
        // Given a server that has nothing
        await using var server = new LoopbackServer(_ => ServerReply.Status(404, "Not Found"));
        var options = Options(server, "a", "b");

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", options));

        // Then the error is NotFound and lists both URLs tried, and says where files can be put by hand
        Assert.Equal(DownloadFailure.NotFound, error.Failure);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(2, error.Urls.Count);
        Assert.Contains($"http://127.0.0.1:{server.Port}/a/GunPoint.zip answered 404", error.Message);
        Assert.Contains($"http://127.0.0.1:{server.Port}/b/GunPoint.zip answered 404", error.Message);
        Assert.Contains(Path.Combine(Cache, "GunPoint"), error.Message);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Report_Another_Http_Status()
    {
        // Given a server that fails
        await using var server = new LoopbackServer(_ => ServerReply.Status(500, "Internal Server Error"));

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server)));

        // Then the status is named
        Assert.Equal(DownloadFailure.HttpStatus, error.Failure);
        Assert.Equal(500, error.StatusCode);
        Assert.Contains("answered 500 Internal Server Error", error.Message);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Report_A_Corrupt_Zip()
    {
        // Given a server that sends an HTML page instead of a zip
        var page = "<html><body>Maintenance</body></html>"u8.ToArray();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(page));

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server)));

        // Then the error says the URL did not send a zip, and nothing is left behind
        Assert.Equal(DownloadFailure.InvalidArchive, error.Failure);
        Assert.Contains($"http://127.0.0.1:{server.Port}/a/GunPoint.zip did not send a valid zip archive", error.Message);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Take_The_Files_From_A_Sub_Folder_Of_The_Zip()
    {
        // Given a zip holding the pair in GunPoint/, beside a README and macOS debris
        var zip = ZipBuilder.Create(
            ("README.txt", "about GunPoint"u8.ToArray()),
            ("__MACOSX/GunPoint/._GunPoint_TRAIN.arff", [0, 1, 2]),
            ("GunPoint/GunPoint_TRAIN.arff", File.ReadAllBytes(TestData.GunPointTrainArff)),
            ("GunPoint/GunPoint_TEST.arff", File.ReadAllBytes(TestData.GunPointTestArff)),
            ("GunPoint/GunPoint.txt", "notes"u8.ToArray()));
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        // When GunPoint is asked for
        var files = await Datasets.GetAsync("GunPoint", Options(server));

        // Then the sub-folder becomes the dataset's folder, with everything it held and nothing from outside it
        Assert.Equal(Path.Combine(Cache, "GunPoint", "GunPoint_TRAIN.arff"), files.TrainPath);
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTestArff), File.ReadAllBytes(files.TestPath));
        Assert.Equal(["GunPoint", "GunPoint/GunPoint.txt", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _temporary.Entries(Cache));
    }

    [Fact]
    public async Task Should_Refuse_A_Zip_Without_The_Test_File()
    {
        // Given a zip with only the TRAIN file
        var zip = ZipBuilder.GunPoint(includeTest: false);
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server)));

        // Then the error says which files are missing and what the zip held
        Assert.Equal(DownloadFailure.MissingFiles, error.Failure);
        Assert.Contains("without GunPoint_TRAIN and GunPoint_TEST files", error.Message);
        Assert.Contains("it holds GunPoint_TRAIN.arff", error.Message);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Refuse_A_Zip_Entry_That_Would_Land_Outside_The_Folder()
    {
        // Given a zip with the pair and an entry climbing out of the extraction folder (zip-slip)
        var zip = ZipBuilder.Create(
            ("GunPoint_TRAIN.arff", File.ReadAllBytes(TestData.GunPointTrainArff)),
            ("GunPoint_TEST.arff", File.ReadAllBytes(TestData.GunPointTestArff)),
            ("../../escaped.txt", "gotcha"u8.ToArray()));
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server)));

        // Then the archive is refused, the file was written nowhere, and the cache is clean
        Assert.Equal(DownloadFailure.InvalidArchive, error.Failure);
        Assert.Contains("'../../escaped.txt' would be written outside", error.Message);
        Assert.DoesNotContain(_temporary.Entries(), e => e.EndsWith("escaped.txt", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_temporary.Path)!, "escaped.txt")));
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Report_No_Network_When_The_Connection_Is_Refused()
    {
        // Given a port nobody listens on
        var port = LoopbackServer.UnusedPort();
        var options = new DatasetSourceOptions
        {
            CacheFolder = Cache, UseEmbedded = false, DownloadUrls = [$"http://127.0.0.1:{port}/{{0}}.zip"],
        };

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", options));

        // Then the error says the host could not be reached and how to work without the network
        Assert.Equal(DownloadFailure.Unreachable, error.Failure);
        Assert.Contains($"could not reach 127.0.0.1:{port}", error.Message);
        Assert.Contains("check the network or put GunPoint_TRAIN/_TEST files", error.Message);
        Assert.Contains(Path.Combine(Cache, "GunPoint"), error.Message);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Give_Up_On_A_Server_That_Sends_Nothing()
    {
        // Given a server that accepts the request and stays silent
        await using var server = new LoopbackServer(_ => ServerReply.Silence());
        var options = Options(server) with { StallTimeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();

        // When GunPoint is asked for with a 1 s stall timeout
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", options));

        // Then it times out after about a second, saying so
        Assert.Equal(DownloadFailure.Timeout, error.Failure);
        Assert.Contains("sent nothing for 1 s", error.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 15);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Stop_Trying_Urls_When_The_Overall_Timeout_Expires()
    {
        // Given a server that sends half the zip and then stalls, and a 1 s overall timeout
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.StallAfter(zip, zip.Length / 2));
        var options = Options(server, "a", "b") with { Timeout = TimeSpan.FromSeconds(1) };

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", options));

        // Then the download gives up without trying b/, and the partial zip is gone
        Assert.Equal(DownloadFailure.Timeout, error.Failure);
        Assert.Contains("took longer than 1 s", error.Message);
        Assert.Equal(["/a/GunPoint.zip"], server.Requests);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Leave_Nothing_When_The_Server_Closes_Mid_Body()
    {
        // Given a server that announces the whole zip and closes after a third of it
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.CloseAfter(zip, zip.Length / 3));

        // When GunPoint is asked for
        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Datasets.GetAsync("GunPoint", Options(server)));

        // Then the connection loss is reported and no partial zip or folder remains
        Assert.Equal(DownloadFailure.ConnectionLost, error.Failure);
        Assert.Contains("closed the connection after", error.Message);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Cancel_A_Download_In_Progress_And_Leave_Nothing()
    {
        // Given a server that sends half the zip then stalls, and a caller that cancels once bytes arrive
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.StallAfter(zip, zip.Length / 2));
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress<DownloadProgress>(e =>
        {
            if (e.Stage == DownloadStage.Downloading && e.BytesReceived > 0)
                cancellation.Cancel();
        });

        // When GunPoint is asked for
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Datasets.GetAsync("GunPoint", Options(server), progress, cancellation.Token));

        // Then the cancellation surfaces as such and the partial zip is gone
        Assert.Contains(progress.Events, e => e.Stage == DownloadStage.Downloading && e.BytesReceived > 0);
        AssertNothingHalfWritten();
    }

    [Fact]
    public async Task Should_Replace_The_Cached_Folder_When_Forced()
    {
        // Given a cached GunPoint folder with an extra file and a damaged TRAIN file
        var old = Directory.CreateDirectory(Path.Combine(Cache, "GunPoint")).FullName;
        await File.WriteAllTextAsync(Path.Combine(old, "GunPoint_TRAIN.arff"), "damaged");
        await File.WriteAllTextAsync(Path.Combine(old, "GunPoint_TEST.arff"), "damaged");
        await File.WriteAllTextAsync(Path.Combine(old, "stale.txt"), "old");
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        // When it is asked for with Force
        var files = await Datasets.GetAsync("GunPoint", Options(server) with { Force = true });

        // Then the folder holds exactly the fresh download
        Assert.Equal(DatasetOrigin.Downloaded, files.Origin);
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTrainArff), File.ReadAllBytes(files.TrainPath));
        Assert.Equal(["GunPoint", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _temporary.Entries(Cache));
    }

    [Fact]
    public async Task Should_Use_The_Folder_Another_Process_Installed_Meanwhile()
    {
        // Given a server that, before answering, lets "another process" install the dataset's folder
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.After(() =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(Cache, "GunPoint")).FullName;
            File.WriteAllText(Path.Combine(folder, "GunPoint_TRAIN.arff"), "theirs");
            File.WriteAllText(Path.Combine(folder, "GunPoint_TEST.arff"), "theirs");
        }, ServerReply.Ok(zip)));

        // When GunPoint is asked for
        var files = await Datasets.GetAsync("GunPoint", Options(server));

        // Then the other process's folder is kept and used, and our copy is cleaned away
        Assert.Equal("theirs", await File.ReadAllTextAsync(files.TrainPath));
        Assert.Equal(["GunPoint", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _temporary.Entries(Cache));
    }

    [Fact]
    public async Task Should_Remove_Work_In_Progress_Left_By_A_Killed_Process()
    {
        // Given a partial zip and a temporary folder from two days ago, and a partial zip being written right now
        Directory.CreateDirectory(Cache);
        var oldZip = Path.Combine(Cache, ".GunPoint.0123.zip.partial");
        var oldFolder = Path.Combine(Cache, ".GunPoint.4567.tmp");
        var liveZip = Path.Combine(Cache, ".GunPoint.89ab.zip.partial");
        await File.WriteAllTextAsync(oldZip, "old");
        Directory.CreateDirectory(oldFolder);
        await File.WriteAllTextAsync(liveZip, "live");
        File.SetLastWriteTimeUtc(oldZip, DateTime.UtcNow.AddDays(-2));
        Directory.SetLastWriteTimeUtc(oldFolder, DateTime.UtcNow.AddDays(-2));
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        // When GunPoint is downloaded
        await Datasets.GetAsync("GunPoint", Options(server));

        // Then the stale entries are gone and the live one is untouched
        Assert.Equal([".GunPoint.89ab.zip.partial", "GunPoint", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _temporary.Entries(Cache));
    }

    [Theory]
    [InlineData("http://127.0.0.1/GunPoint.zip")]
    [InlineData("ftp://127.0.0.1/{0}.zip")]
    [InlineData("{0}.zip")]
    public async Task Should_Refuse_A_Url_Template_That_Is_Not_An_Http_Url_With_The_Name(string template)
    {
        var options = new DatasetSourceOptions { CacheFolder = Cache, UseEmbedded = false, DownloadUrls = [template] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Datasets.GetAsync("GunPoint", options));

        Assert.Contains($"found '{template}'", error.Message);
    }

    [Fact]
    public async Task Should_Not_Download_A_Name_Outside_The_Catalogue()
    {
        // Given a server that would serve anything
        var zip = ZipBuilder.GunPoint();
        await using var server = new LoopbackServer(_ => ServerReply.Ok(zip));

        // When an uncatalogued name is asked for
        var error = await Assert.ThrowsAsync<DatasetNotFoundException>(() => Datasets.GetAsync("GunPointy", Options(server)));

        // Then it is unknown, nothing was requested, and the near name is suggested
        Assert.Empty(server.Requests);
        Assert.Equal("GunPoint", error.Suggestions[0]);
    }
}
