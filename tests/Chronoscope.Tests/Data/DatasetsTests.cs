using Chronoscope.Data.Archive;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>Datasets by name without a network: the embedded copy, the cache folder, unknown names.</summary>
public sealed class DatasetsTests : IDisposable
{
    private readonly TempFolder _cache = new();

    // No URL is reachable: a test here that tried to download would fail instead of reaching the internet.
    private DatasetSourceOptions Options => new()
    {
        CacheFolder = _cache.Path,
        DownloadUrls = [$"http://127.0.0.1:{LoopbackServer.UnusedPort()}/{{0}}.zip"],
    };

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task Should_Materialize_The_Embedded_GunPoint_Byte_Identical_Into_An_Empty_Cache()
    {
        // Given an empty cache folder
        // When GunPoint is asked for
        var files = await Datasets.GetAsync("GunPoint", Options);

        // Then the embedded ARFF pair is written to <cache>/GunPoint, byte for byte as in the repository's data/GunPoint
        Assert.Equal(DatasetOrigin.Embedded, files.Origin);
        Assert.Equal(DatasetFormat.Arff, files.Format);
        Assert.Equal(_cache.Combine("GunPoint"), files.Folder);
        Assert.Equal(_cache.Combine("GunPoint", "GunPoint_TRAIN.arff"), files.TrainPath);
        Assert.Equal(_cache.Combine("GunPoint", "GunPoint_TEST.arff"), files.TestPath);
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTrainArff), File.ReadAllBytes(files.TrainPath));
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTestArff), File.ReadAllBytes(files.TestPath));
        // and nothing else is left in the cache (no temporary folder)
        Assert.Equal(["GunPoint", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _cache.Entries());
    }

    [Fact]
    public async Task Should_Use_The_Cache_On_The_Second_Call()
    {
        // Given GunPoint materialized once, and its TRAIN file then marked
        var first = await Datasets.GetAsync("GunPoint", Options);
        await File.AppendAllTextAsync(first.TrainPath, "% marked\n");

        // When it is asked for again, in another case
        var second = await Datasets.GetAsync("gunpoint", Options);

        // Then the cached folder is used as it is, under the canonical name
        Assert.Equal(DatasetOrigin.Cache, second.Origin);
        Assert.Equal("GunPoint", second.Name);
        Assert.EndsWith("% marked\n", await File.ReadAllTextAsync(second.TrainPath));
    }

    [Fact]
    public async Task Should_Replace_A_Cached_Embedded_Dataset_When_Forced()
    {
        // Given a cached GunPoint whose TRAIN file was damaged
        var first = await Datasets.GetAsync("GunPoint", Options);
        await File.WriteAllTextAsync(first.TrainPath, "damaged");

        // When it is asked for with Force
        var again = await Datasets.GetAsync("GunPoint", Options with { Force = true });

        // Then a fresh copy replaced the folder
        Assert.Equal(DatasetOrigin.Embedded, again.Origin);
        Assert.Equal(File.ReadAllBytes(TestData.GunPointTrainArff), File.ReadAllBytes(again.TrainPath));
        Assert.Equal(["GunPoint", "GunPoint/GunPoint_TEST.arff", "GunPoint/GunPoint_TRAIN.arff"], _cache.Entries());
    }

    [Fact]
    public void Should_List_GunPoint_As_Embedded()
    {
        Assert.Contains("GunPoint", Datasets.Embedded);
    }

    [Fact]
    public async Task Should_Report_An_Unknown_Name_With_A_Suggestion_And_Where_Own_Data_Goes()
    {
        // Given an empty cache, when a misspelled name is asked for
        var error = await Assert.ThrowsAsync<DatasetNotFoundException>(() => Datasets.GetAsync("GunPont", Options));

        // Then the error suggests the right name and tells where a dataset of one's own would go
        Assert.Equal("GunPoint", error.Suggestions[0]);
        Assert.Contains("did you mean GunPoint", error.Message);
        Assert.Contains(_cache.Combine("GunPont"), error.Message);
        Assert.Contains("GunPont_TRAIN", error.Message);
        Assert.IsAssignableFrom<ChronoscopeException>(error);
        // and nothing was written
        Assert.Empty(_cache.Entries());
    }

    [Fact]
    public async Task Should_Find_A_Dataset_Of_Ones_Own_In_The_Cache_By_Folder_Name()
    {
        // Given <cache>/MySensors with a TRAIN/TEST pair in two formats
        var folder = Directory.CreateDirectory(_cache.Combine("MySensors")).FullName;
        foreach (var file in new[] { "MySensors_TRAIN.arff", "MySensors_TEST.arff", "MySensors_TRAIN.ts", "MySensors_TEST.ts" })
            await File.WriteAllTextAsync(Path.Combine(folder, file), file);

        // When it is asked for by name (in another case)
        var files = await Datasets.GetAsync("mysensors", Options);

        // Then the folder's own spelling is kept and .ts is preferred to .arff
        Assert.Equal(DatasetOrigin.Cache, files.Origin);
        Assert.Equal("MySensors", files.Name);
        Assert.Equal(DatasetFormat.Ts, files.Format);
        Assert.Equal(Path.Combine(folder, "MySensors_TRAIN.ts"), files.TrainPath);

        // and a preference for ARFF picks the ARFF pair
        var arff = await Datasets.GetAsync("MySensors", Options with { FormatPreference = [DatasetFormat.Arff] });
        Assert.Equal(Path.Combine(folder, "MySensors_TEST.arff"), arff.TestPath);
    }

    [Fact]
    public async Task Should_Find_A_Pair_Without_An_Extension_As_The_2015_Archive_Ships_It()
    {
        // Given <cache>/GunPoint as the UCR 2015 archive's zip unpacks: GunPoint_TRAIN and GunPoint_TEST, comma-separated,
        // no extension (made here from the test copy's .tsv)
        var folder = Directory.CreateDirectory(_cache.Combine("GunPoint")).FullName;
        foreach (var split in new[] { "TRAIN", "TEST" })
        {
            var text = (await File.ReadAllTextAsync(TestData.File("GunPoint", $"GunPoint_{split}.tsv"))).Replace('\t', ',');
            await File.WriteAllTextAsync(Path.Combine(folder, $"GunPoint_{split}"), text);
        }

        // When GunPoint is asked for
        var files = await Datasets.GetAsync("GunPoint", Options);

        // Then the cache's pair is used (not the embedded ARFF), read as .csv by its first line, with every series
        Assert.Equal(DatasetOrigin.Cache, files.Origin);
        Assert.Equal(DatasetFormat.Csv, files.Format);
        Assert.Equal(Path.Combine(folder, "GunPoint_TEST"), files.TestPath);
        Assert.Equal(150, DatasetReader.Read(files.TestPath).Count);

        // and a pair with an extension beside it is preferred, while a preference without .csv ignores the bare pair
        await File.WriteAllTextAsync(Path.Combine(folder, "GunPoint_TRAIN.ts"), "ts");
        await File.WriteAllTextAsync(Path.Combine(folder, "GunPoint_TEST.ts"), "ts");
        Assert.Equal(DatasetFormat.Ts, (await Datasets.GetAsync("GunPoint", Options)).Format);
        Assert.Null(Datasets.FindCached("GunPoint", Options with { FormatPreference = [DatasetFormat.Tsv] }));
    }

    [Fact]
    public async Task Should_Say_What_Is_Missing_When_A_Cache_Folder_Lacks_Its_Test_File()
    {
        // Given <cache>/ECG200 holding only a TRAIN file
        var folder = Directory.CreateDirectory(_cache.Combine("ECG200")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "ECG200_TRAIN.tsv"), "1\t0.5\n");

        // When ECG200 is asked for
        var error = await Assert.ThrowsAsync<DatasetNotFoundException>(() => Datasets.GetAsync("ECG200", Options));

        // Then the error names the folder, what it holds and how to fix it
        Assert.Contains(folder, error.Message);
        Assert.Contains("ECG200_TEST", error.Message);
        Assert.Contains("it holds ECG200_TRAIN.tsv", error.Message);
        Assert.Contains("delete the folder", error.Message);
        Assert.Null(Datasets.FindCached("ECG200", Options));
    }

    [Fact]
    public async Task Should_Find_Cached_Datasets_Without_Writing_Anything()
    {
        // Given an empty cache, then GunPoint is not cached and looking did not write it
        Assert.Null(Datasets.FindCached("GunPoint", Options));
        Assert.Empty(_cache.Entries());

        // When GunPoint is materialized, then it is found in the cache
        await Datasets.GetAsync("GunPoint", Options);
        var cached = Datasets.FindCached("GUNPOINT", Options);
        Assert.NotNull(cached);
        Assert.Equal("GunPoint", cached.Name);
        Assert.Equal(DatasetOrigin.Cache, cached.Origin);
        Assert.Equal(["GunPoint"], Datasets.CachedNames(Options));
    }

    [Fact]
    public async Task Should_Tell_When_A_Download_Is_Required()
    {
        // Given an empty cache: the embedded, unknown and invalid names need none; a catalogued one does
        Assert.False(Datasets.RequiresDownload("GunPoint", Options));
        Assert.False(Datasets.RequiresDownload("GunPont", Options));
        Assert.False(Datasets.RequiresDownload("../ECG200", Options));
        Assert.True(Datasets.RequiresDownload("ecg200", Options));
        Assert.True(Datasets.RequiresDownload("GunPoint", Options with { UseEmbedded = false }));

        // When ECG200 has a folder in the cache, then only Force requires a download
        Directory.CreateDirectory(_cache.Combine("ECG200"));
        Assert.False(Datasets.RequiresDownload("ECG200", Options));
        Assert.True(Datasets.RequiresDownload("ECG200", Options with { Force = true }));

        // and the answers match what GetAsync does: the embedded copy is used without a request
        var files = await Datasets.GetAsync("GunPoint", Options);
        Assert.Equal(DatasetOrigin.Embedded, files.Origin);
    }

    [Theory]
    [InlineData("../GunPoint")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public async Task Should_Refuse_Names_That_Are_Not_Folder_Names(string name)
    {
        var error = await Assert.ThrowsAsync<DatasetNotFoundException>(() => Datasets.GetAsync(name, Options));
        Assert.Contains("is not a dataset name", error.Message);
    }

    [Fact]
    public void Should_Choose_The_Cache_Folder_From_The_Environment()
    {
        // Given environments as dictionaries, then CHRONOSCOPE_DATA wins, then XDG_CACHE_HOME, then ~/.cache
        string Resolve(Dictionary<string, string> variables, bool useXdg = true) =>
            Datasets.ResolveCacheFolder(v => variables.GetValueOrDefault(v), useXdg, "/home/ada", "/local/app");

        Assert.Equal("/data/ucr", Resolve(new() { ["CHRONOSCOPE_DATA"] = "/data/ucr", ["XDG_CACHE_HOME"] = "/xdg" }));
        Assert.Equal("/xdg/chronoscope/datasets", Resolve(new() { ["XDG_CACHE_HOME"] = "/xdg" }));
        Assert.Equal("/home/ada/.cache/chronoscope/datasets", Resolve(new() { ["XDG_CACHE_HOME"] = "relative/ignored" }));
        Assert.Equal("/home/ada/.cache/chronoscope/datasets", Resolve([]));
        Assert.Equal("/local/app/chronoscope/datasets", Resolve(new() { ["XDG_CACHE_HOME"] = "/xdg" }, useXdg: false));
        Assert.Equal("/data/ucr", Resolve(new() { ["CHRONOSCOPE_DATA"] = "/data/ucr" }, useXdg: false));
    }
}
