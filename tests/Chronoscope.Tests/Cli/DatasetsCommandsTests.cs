using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Chronoscope.Cli;
using Chronoscope.Data.Archive;
using Chronoscope.Tests.TestSupport;
using Spectre.Console.Testing;

namespace Chronoscope.Tests.Cli;

/// <summary><c>chronoscope datasets ...</c> run in-process against test consoles and a temporary cache folder.</summary>
public sealed partial class DatasetsCommandsTests : IDisposable
{
    private readonly TempFolder _cache = new();

    public void Dispose() => _cache.Dispose();

    /// <summary>Runs a command line; downloads go to <paramref name="urls"/> (by default a port nobody listens on).</summary>
    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args, IReadOnlyList<string>? urls = null)
    {
        using var output = new TestConsole();
        using var error = new TestConsole();
        var options = new DatasetSourceOptions
        {
            CacheFolder = _cache.Path,
            DownloadUrls = urls ?? [$"http://127.0.0.1:{LoopbackServer.UnusedPort()}/{{0}}.zip"],
        };
        var code = await new ChronoscopeCli(new CliContext(output, error, options)).RunAsync(args);
        return (code, output.Output, error.Output);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>A table row with its cells separated by runs of spaces, e.g. "class 1  24  76" → "class 1|24|76".</summary>
    private static string[] Rows(string text) => Lines(text).Select(l => CellGap().Replace(l.Trim(), "|")).ToArray();

    [GeneratedRegex(" {2,}")]
    private static partial Regex CellGap();

    [Fact]
    public async Task Should_List_The_158_Catalogue_Names_With_Kind_And_Availability()
    {
        // Given an empty cache, when the catalogue is listed
        var (code, output, error) = await RunAsync(["datasets", "list"]);

        // Then every catalogued name has exactly one row, with its kind and where it is available
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        var rows = Rows(output);
        Assert.Equal("Name|Kind|Available", rows[0]);
        var named = rows.Skip(1).Where(r => DatasetCatalog.Contains(r.Split('|')[0])).ToList();
        Assert.Equal(158, named.Count);
        Assert.Equal(DatasetCatalog.All, named.Select(r => r.Split('|')[0]));
        Assert.Contains("GunPoint|univariate|embedded", rows);
        Assert.Contains("BasicMotions|multivariate|download", rows);
        Assert.Contains("PEMS-SF|multivariate|download", rows);
        Assert.StartsWith($"158 datasets, 0 in the cache folder {_cache.Path}", rows[^1]);
        // and redirected output carries no ANSI escape sequences
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task Should_Filter_The_List_By_Kind_And_By_Cache()
    {
        var (_, univariate, _) = await RunAsync(["datasets", "list", "--univariate"]);
        var (_, multivariate, _) = await RunAsync(["datasets", "list", "--multivariate"]);
        var (_, cachedBefore, _) = await RunAsync(["datasets", "list", "--cached"]);
        await RunAsync(["datasets", "download", "GunPoint"]);
        var (_, cachedAfter, _) = await RunAsync(["datasets", "list", "--cached"]);

        Assert.StartsWith("128 datasets", Lines(univariate)[^1]);
        Assert.StartsWith("30 datasets", Lines(multivariate)[^1]);
        Assert.DoesNotContain(Rows(multivariate), r => r.Contains("|univariate|"));
        Assert.StartsWith("0 datasets", Lines(cachedBefore)[^1]);
        Assert.Contains("GunPoint|univariate|cached (arff)", Rows(cachedAfter));
        Assert.StartsWith("1 dataset, 1 in the cache folder", Lines(cachedAfter)[^1]);
    }

    [Fact]
    public async Task Should_Describe_GunPoint_Split_By_Split()
    {
        // Given an empty cache, when GunPoint is described
        var (code, output, error) = await RunAsync(["datasets", "info", "GunPoint"]);

        // Then the published numbers appear: 50/150 series of length 150, one channel, classes 1 (24/76) and 2 (26/74)
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        var rows = Rows(output);
        Assert.Equal("GunPoint: univariate, 2 classes, ARFF, from the library's embedded copy, now in the cache", rows[0]);
        Assert.Contains($"folder|{Path.Combine(_cache.Path, "GunPoint")}", rows);
        Assert.Contains("TRAIN|TEST", rows);
        Assert.Contains("series|50|150", rows);
        Assert.Contains("length|150|150", rows);
        Assert.Contains("channels|1|1", rows);
        Assert.Contains("missing values|0|0", rows);
        Assert.Contains("class 1|24|76", rows);
        Assert.Contains("class 2|26|74", rows);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task Should_Show_How_Far_Apart_The_Series_Scales_Are()
    {
        // Given 20 sines over whole periods with amplitudes 1e-4 to 1e2 evenly spaced in logarithm (standard deviation
        // amplitude / √2), and a file of constant series
        var text = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            var amplitude = Math.Pow(10, -4 + 6.0 * i / 19);
            text.Append(i % 2).AppendJoin("", Enumerable.Range(0, 32).Select(t => "\t" + (amplitude * Math.Sin(2 * Math.PI * t / 32)).ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        var wide = _cache.Write("wide.tsv", text.ToString());
        var flat = _cache.Write("flat.tsv", "0\t1\t1\t1\n1\t2\t2\t2\n");

        var (code, output, _) = await RunAsync(["datasets", "info", wide]);
        var (_, flatOutput, _) = await RunAsync(["datasets", "info", flat]);

        // Then the row gives the 5th and 95th percentiles by nearest rank (the 2nd and 19th of 20), or a dash when no
        // series varies
        Assert.Equal(ExitCodes.Success, code);
        var low = Math.Pow(10, -4 + 6.0 / 19) / Math.Sqrt(2);
        var high = Math.Pow(10, -4 + 6.0 * 18 / 19) / Math.Sqrt(2);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"series sd, 5th-95th percentile|{low:G3} to {high:G3}"), Rows(output));
        Assert.Contains("series sd, 5th-95th percentile|-", Rows(flatOutput));
    }

    [Fact]
    public async Task Should_Show_How_Far_The_Series_Spread_Around_Their_Mean_Series()
    {
        // Given two series a hundredth either side of a curve alternating -1, 1 (each step spreads 0.01, all values
        // √1.0001), and two constant series 1 and 2 (each step spreads 0.5, as all values do)
        string Around(int label, double d) => label + string.Concat(Enumerable.Range(0, 16).Select(t => "\t" + ((t % 2 == 0 ? -1 : 1) + d).ToString("R", CultureInfo.InvariantCulture)));
        var copies = _cache.Write("copies.tsv", Around(0, 0.01) + "\n" + Around(1, -0.01) + "\n");
        var flat = _cache.Write("flat.tsv", "0\t1\t1\t1\n1\t2\t2\t2\n");

        var (code, output, _) = await RunAsync(["datasets", "info", copies]);
        var (_, flatOutput, _) = await RunAsync(["datasets", "info", flat]);

        // Then the row gives the ratio, and says when train's auto normalization would subtract the mean series
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("spread around the mean series|0.01, near copies", Rows(output));
        Assert.Contains("spread around the mean series|1", Rows(flatOutput));
    }

    [Fact]
    public async Task Should_Describe_Files_Given_By_Path()
    {
        // Given the repository's GunPoint ARFF files, when they are described by path
        var (code, output, _) = await RunAsync(["datasets", "info", TestData.GunPointTrainArff, TestData.GunPointTestArff]);

        // Then they form one dataset with a column per split
        Assert.Equal(ExitCodes.Success, code);
        var rows = Rows(output);
        Assert.Equal("GunPoint: univariate, 2 classes, ARFF, from files", rows[0]);
        Assert.Contains("series|50|150", rows);
        Assert.Contains("class 2|26|74", rows);
        // and nothing was written to the cache
        Assert.Empty(_cache.Entries());
    }

    [Fact]
    public async Task Should_Describe_Files_Of_Two_Datasets_As_Two()
    {
        // Given GunPoint's two files and BasicMotions' training file, named in a mixed order
        var basic = TestData.File("BasicMotions", "BasicMotions_TRAIN.ts");
        var (code, output, _) = await RunAsync(["datasets", "info", TestData.GunPointTrainArff, basic, TestData.GunPointTestArff]);

        // Then each dataset is its own block, GunPoint's splits together, BasicMotions described as multivariate
        Assert.Equal(ExitCodes.Success, code);
        var rows = Rows(output);
        Assert.Equal("GunPoint: univariate, 2 classes, ARFF, from files", rows[0]);
        Assert.Contains("series|50|150", rows);
        Assert.Contains(rows, r => r.StartsWith("BasicMotions: multivariate, 4 classes, TS, from files", StringComparison.Ordinal));
        Assert.Contains("channels|6", rows);
    }

    [Fact]
    public async Task Should_Describe_A_Folder_Of_Files_Without_An_Extension()
    {
        // Given a folder Wine holding the 2015 archive's layout: Wine_TRAIN and Wine_TEST, comma-separated, no extension
        var folder = Directory.CreateDirectory(_cache.Combine("Wine")).FullName;
        File.WriteAllText(Path.Combine(folder, "Wine_TRAIN"), "1,0.1,0.2,0.3\n2,0.3,0.2,0.1\n1,0.1,0.2,0.4\n");
        File.WriteAllText(Path.Combine(folder, "Wine_TEST"), "2,0.3,0.2,0.1\n1,0.1,0.2,0.3\n");

        // When the folder is described by path
        var (code, output, _) = await RunAsync(["datasets", "info", folder]);

        // Then its pair is found and read as .csv
        Assert.Equal(ExitCodes.Success, code);
        var rows = Rows(output);
        Assert.Equal("Wine: univariate, 2 classes, CSV, from files", rows[0]);
        Assert.Contains("series|3|2", rows);
        Assert.Contains("length|3|3", rows);
    }

    [Fact]
    public async Task Should_Summarize_Many_Classes_And_List_Them_All_When_Verbose()
    {
        // Given a file of 25 classes, class k holding k + 1 series (1 to 25)
        var path = _cache.Combine("Many_TRAIN.tsv");
        File.WriteAllLines(path, Enumerable.Range(0, 25).SelectMany(k => Enumerable.Repeat($"c{k:D2}\t0.1\t0.5\t{k}", k + 1)));

        // When it is described, and described with --verbose
        var (code, output, _) = await RunAsync(["datasets", "info", path]);
        var (verboseCode, verboseOutput, _) = await RunAsync(["datasets", "info", path, "--verbose"]);

        // Then the table counts the classes and gives the fewest and most series a class has, lists the first ten
        // classes, and says how many it left out; --verbose lists all 25
        Assert.Equal(ExitCodes.Success, code);
        var rows = Rows(output);
        Assert.Contains("classes|25", rows);
        Assert.Contains("series per class, fewest-most|1-25", rows);
        Assert.Contains("class c09|10", rows);
        Assert.DoesNotContain(rows, r => r.StartsWith("class c10", StringComparison.Ordinal));
        Assert.Contains("and 15 more classes; --verbose lists every class.", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, verboseCode);
        var verboseRows = Rows(verboseOutput);
        Assert.Equal(25, verboseRows.Count(r => r.StartsWith("class c", StringComparison.Ordinal)));
        Assert.Contains("class c24|25", verboseRows);
        Assert.DoesNotContain("more classes", verboseOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Answer_An_Unknown_Name_With_One_Error_Line_And_A_Suggestion()
    {
        // Given an empty cache, when a misspelled name is described
        var (code, output, error) = await RunAsync(["datasets", "info", "GunPont"]);

        // Then the exit code is non-zero, stderr has exactly one line with a suggestion, and no stack trace
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Empty(output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: unknown dataset 'GunPont'; did you mean GunPoint?", line);
        Assert.Contains(Path.Combine(_cache.Path, "GunPont"), line);
        Assert.DoesNotContain(" at Chronoscope.", error);
    }

    [Fact]
    public async Task Should_Show_The_Stack_Trace_Only_With_Verbose()
    {
        var (code, _, error) = await RunAsync(["datasets", "info", "GunPont", "--verbose"]);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("error: unknown dataset 'GunPont'", Lines(error)[0]);
        Assert.Contains("DatasetNotFoundException", error);
        Assert.Contains(" at Chronoscope.", error);
    }

    [Fact]
    public async Task Should_Answer_An_Unknown_Command_With_A_Usage_Error_And_A_Suggestion()
    {
        var (code, output, error) = await RunAsync(["datasets", "lst"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Equal("error: unknown command 'lst'; did you mean list? (see 'chronoscope datasets --help').", Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task Should_Show_Help_For_A_Command_Group_Without_Subcommand()
    {
        var (code, output, error) = await RunAsync(["datasets"]);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        Assert.Contains("chronoscope datasets [command] [options]", output);
        foreach (var subcommand in new[] { "list", "download <name>", "info <name-or-files>" })
            Assert.Contains(subcommand, output);
    }

    [Fact]
    public async Task Should_Download_From_The_Loopback_Server_And_Print_The_Files()
    {
        // Given a server with a zip of a catalogued name (ECG200's files stand in: the content is not read)
        var zip = ZipBuilder.Create(
            ("ECG200/ECG200_TRAIN.arff", File.ReadAllBytes(TestData.GunPointTrainArff)),
            ("ECG200/ECG200_TEST.arff", File.ReadAllBytes(TestData.GunPointTestArff)));
        await using var server = new LoopbackServer(path => path == "/b/ECG200.zip" ? ServerReply.Ok(zip) : ServerReply.Status(404, "Not Found"));

        // When ECG200 is downloaded, a/ answering 404 and b/ serving the zip
        var (code, output, error) = await RunAsync(["datasets", "download", "ECG200"], [server.UrlTemplate("a"), server.UrlTemplate("b")]);

        // Then the output tells each step on its own line and ends with the folder and the files
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        var lines = Lines(output);
        Assert.Equal($"ECG200: downloading http://127.0.0.1:{server.Port}/a/ECG200.zip", lines[0]);
        Assert.Equal($"ECG200: http://127.0.0.1:{server.Port}/a/ECG200.zip answered 404 Not Found", lines[1]);
        Assert.Equal($"ECG200: downloading http://127.0.0.1:{server.Port}/b/ECG200.zip", lines[2]);
        Assert.Contains(lines, l => l.StartsWith("ECG200: ", StringComparison.Ordinal) && l.EndsWith("(100%)", StringComparison.Ordinal));
        Assert.Contains($"ECG200: downloaded from http://127.0.0.1:{server.Port}/b/ECG200.zip", lines);
        var rows = Rows(output);
        Assert.Contains($"folder|{Path.Combine(_cache.Path, "ECG200")}", rows);
        Assert.Contains(rows, r => r.StartsWith("train|ECG200_TRAIN.arff|", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_cache.Path, "ECG200", "ECG200_TEST.arff")));
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task Should_Fail_With_One_Line_When_Every_Url_Answers_404()
    {
        await using var server = new LoopbackServer(_ => ServerReply.Status(404, "Not Found"));

        var (code, _, error) = await RunAsync(["datasets", "download", "ECG200"], [server.UrlTemplate("a")]);

        Assert.Equal(ExitCodes.Failure, code);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"error: could not download ECG200: http://127.0.0.1:{server.Port}/a/ECG200.zip answered 404 Not Found", line);
        Assert.Empty(_cache.Entries());
    }

    [Theory]
    [InlineData("http://127.0.0.1/ECG200.zip")] // no place for the name
    [InlineData("file:///etc/{0}")]             // not http(s): the downloader takes none other
    [InlineData("ftp://127.0.0.1/{0}.zip")]
    [InlineData("/tmp/{0}.zip")]
    public async Task Should_Refuse_A_Url_Template_That_Is_Not_Http_With_The_Name_Placeholder(string template)
    {
        var (code, _, error) = await RunAsync(["datasets", "download", "ECG200", "--from", template]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: --from {template}: expected an http or https URL with {{0}}", Assert.Single(Lines(error)));
    }
}
