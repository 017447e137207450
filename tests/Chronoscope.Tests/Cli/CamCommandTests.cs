using System.Globalization;
using Chronoscope.Cli;
using Chronoscope.Cli.Commands;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Tests.Plotting;
using Chronoscope.Tests.TestSupport;
using Spectre.Console.Testing;

namespace Chronoscope.Tests.Cli;

/// <summary>A small untrained GunPoint model saved once for every <see cref="CamCommandTests"/> test.</summary>
public sealed class SavedGunPointModel : IDisposable
{
    private readonly TempFolder _folder = new();

    public SavedGunPointModel()
    {
        Path = _folder.Combine("gunpoint.model");
        using var classifier = SmallModels.GunPoint();
        classifier.Save(Path);
    }

    public string Path { get; }

    public void Dispose() => _folder.Dispose();
}

/// <summary><c>chronoscope cam</c> run in-process against test consoles, on the real GunPoint files and a small saved model.</summary>
public sealed class CamCommandTests(SavedGunPointModel model) : IClassFixture<SavedGunPointModel>, IDisposable
{
    private readonly TempFolder _out = new();

    public void Dispose() => _out.Dispose();

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new TestConsole();
        using var error = new TestConsole();
        var code = await new ChronoscopeCli(new CliContext(output, error)).RunAsync(args);
        return (code, output.Output, error.Output);
    }

    /// <summary>The command line with the model, the TEST file and the output folder, then <paramref name="more"/>.</summary>
    private Task<(int Code, string Output, string Error)> CamAsync(params string[] more) =>
        RunAsync(["cam", "--model", model.Path, "--data", TestData.GunPointTestArff, "--out", _out.Path, .. more]);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>The CSV's rows as cells (the GunPoint labels hold no commas or quotes).</summary>
    private string[][] ReadCsv(string name) => [.. File.ReadAllLines(_out.Combine(name)).Select(line => line.Split(','))];

    private static ActivationMaps Explain(TimeSeriesDataset data, IReadOnlyList<int> items, ExplainOptions options, string modelPath)
    {
        using var classifier = TimeSeriesClassifier.Load(modelPath);
        return new Explainer(classifier).Explain(data, items, options);
    }

    [Fact]
    public async Task Should_Write_A_Png_An_Svg_And_A_Csv_Row_Per_Item()
    {
        // Given the small model, when items 0 and 3 of GunPoint's TEST file are explained with the defaults
        using var leaks = new TensorLeakCheck();
        var (code, output, error) = await CamAsync("--items", "0,3");

        // Then the three files are written under the method's name, and nothing else is left in the folder
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        Assert.Equal(["cam-gradcam-mean.csv", "cam-gradcam-mean.png", "cam-gradcam-mean.svg"], _out.Entries());
        Assert.Equal((600, 400), PngHeader.Size(File.ReadAllBytes(_out.Combine("cam-gradcam-mean.png"))));
        Assert.Contains("[1 - 1] - GRAD-CAM - mean", File.ReadAllText(_out.Combine("cam-gradcam-mean.svg")), StringComparison.Ordinal);

        // and the CSV has the header, then one row per item with its classes, its confidence and 150 map values
        var rows = ReadCsv("cam-gradcam-mean.csv");
        Assert.Equal(["item", "label", "explained", "predicted", "confidence", .. Enumerable.Range(0, 150).Select(t => $"t{t}")], rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.Equal(["0", "3"], rows.Skip(1).Select(r => r[0]));
        Assert.All(rows.Skip(1), r => Assert.Equal(5 + 150, r.Length));
        Assert.All(rows.Skip(1), r => Assert.Equal(("1", "1"), (r[1], r[2])));
        Assert.All(rows.Skip(1).SelectMany(r => r[5..]), v => Assert.InRange(float.Parse(v, CultureInfo.InvariantCulture), 0f, 1f));

        // and the output names the layer, the method and the files
        Assert.Contains("layer 2 (Inception block 2 + shortcut)", output, StringComparison.Ordinal);
        Assert.Contains("GRAD-CAM - mean, target label, each map scaled to 0..1", Lines(output));
        Assert.Contains($"wrote {_out.Combine("cam-gradcam-mean.png")}", Lines(output));
    }

    [Fact]
    public async Task Should_Say_That_Maps_Of_A_Layer_Without_A_Time_Axis_Are_Flat()
    {
        // Given the small model's concat pool (layer 3), which has no time axis, and its last block (layer 2)
        var (code, output, _) = await CamAsync("--items", "0", "--layer", "3", "--raw");
        var (_, blockOutput, _) = await CamAsync("--items", "0", "--layer", "2", "--name", "block");

        // Then the pool's raw map is one value at every step, and only that run says why
        Assert.Equal(ExitCodes.Success, code);
        Assert.Single(ReadCsv("cam-gradcam-mean.csv")[1][5..].Distinct());
        Assert.Contains("note: layer 3 (concat pool (max, average)) has no time axis, so each map is one value spread over every step: flat. Layers 0-2 keep the time axis.", Lines(output));
        Assert.DoesNotContain("no time axis", blockOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gradcam", "mean", false)]
    [InlineData("cam", "median", false)]
    [InlineData("hirescam", "mean", true)]
    [InlineData("gradcam++", "mean", false)]
    [InlineData("gradcam-paper", "max", true)]
    public async Task Should_Write_The_Maps_The_Explainer_Computes(string method, string reduction, bool raw)
    {
        // Given a method, a reduction and raw or scaled values on the command line
        string[] args = ["--items", "5,0,17", "--method", method, "--reduction", reduction, "--name", "maps", "--layer", "1", .. raw ? new[] { "--raw" } : []];
        var (code, output, error) = await CamAsync(args);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);

        // When the same maps are computed through the library with the same model file
        var methods = new Dictionary<string, MapMethod>
        {
            ["gradcam"] = MapMethod.GradCam, ["cam"] = MapMethod.Cam, ["hirescam"] = MapMethod.HiResCam,
            ["gradcam++"] = MapMethod.GradCamPlusPlus, ["gradcam-paper"] = MapMethod.GradCamPaper,
        };
        var options = new ExplainOptions { Method = methods[method], Reduction = ReductionNames.Parse(reduction), ForceScale = !raw, Layer = 1 };
        var maps = Explain(DatasetReader.Read(TestData.GunPointTestArff), [5, 0, 17], options, model.Path);

        // Then a reduction given to a method that has none is pointed out
        Assert.Equal(!options.Method.UsesReduction, output.Contains($"note: {options.Method.Name} uses no reduction; --reduction is ignored.", StringComparison.Ordinal));

        // and every value of the CSV reads back as exactly the library's float, in the order asked
        var rows = ReadCsv("maps.csv").Skip(1).ToArray();
        Assert.Equal(3, rows.Length);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(maps.Items[k].ToString(CultureInfo.InvariantCulture), rows[k][0]);
            Assert.Equal(maps.Classes[maps.Labels![k]], rows[k][1]);
            Assert.Equal(maps.Classes[maps.Predicted(k)], rows[k][3]);
            Assert.Equal(maps.Confidence(k), float.Parse(rows[k][4], CultureInfo.InvariantCulture));
            Assert.Equal(maps.Map(k).ToArray(), rows[k][5..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task Should_Stream_Every_Item_In_Batches_And_Draw_No_Figure_For_Many()
    {
        // Given the whole TEST file in batches of 32 (the last one partial)
        var (code, output, error) = await CamAsync("--items", "all", "--batch-size", "32", "--method", "hirescam", "--raw");

        // Then the CSV has the file's 150 series in order and no picture was drawn, which the output says
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        Assert.Equal(["cam-hirescam.csv"], _out.Entries());
        var rows = ReadCsv("cam-hirescam.csv").Skip(1).ToArray();
        Assert.Equal(150, rows.Length);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        Assert.Contains("no figure: 150 items are more than 16 to draw; choose at most 16 with --items to get one.", Lines(output));
        Assert.Contains("explaining: 150 of 150", Lines(output));

        // and rows from different batches equal the maps computed for those items alone, to float32 rounding (a batch
        // of another size may take another convolution algorithm, which rounds differently)
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        var maps = Explain(data, [31, 32, 149], new ExplainOptions { Method = MapMethod.HiResCam, ForceScale = false }, model.Path);
        for (var k = 0; k < 3; k++)
        {
            var alone = maps.Map(k).ToArray();
            var streamed = rows[maps.Items[k]][5..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(alone.Length, streamed.Length);
            var largest = alone.Max(Math.Abs);
            Assert.True(largest > 0);
            Assert.All(alone.Zip(streamed), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 0, 1e-5 * largest));
        }

        // and the predictions summary counts what the CSV holds
        var right = rows.Count(r => r[1] == r[3]);
        Assert.Contains(Lines(output), l => l.StartsWith($"predicted {right} of 150 labelled items right", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Leave_No_Csv_When_Cancelled_Between_Batches()
    {
        // Given a streamed run that is cancelled (Ctrl+C) as soon as it reports its first batch done
        using var cancellation = new CancellationTokenSource();
        var lines = new CancelOnText("explaining: ", cancellation);
        var output = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(lines) });
        using var error = new TestConsole();
        var fresh = _out.Combine("fresh"); // a folder the run makes
        var code = await new ChronoscopeCli(new CliContext(output, error)).RunAsync(
            ["cam", "--model", model.Path, "--data", TestData.GunPointTestArff, "--items", "all", "--batch-size", "32", "--out", fresh], cancellation.Token);

        // Then it stopped there, said so, and left neither the CSV nor its temporary file behind, nor the folder it made
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Contains("explaining: 32 of 150", lines.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("explaining: 64 of 150", lines.ToString(), StringComparison.Ordinal);
        Assert.Equal("cancelled.", Assert.Single(Lines(error.Output)));
        Assert.Empty(_out.Entries());
    }

    /// <summary>Standard output that cancels a token the first time a line containing <paramref name="text"/> is written.</summary>
    private sealed class CancelOnText(string text, CancellationTokenSource cancellation) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (ToString().Contains(text, StringComparison.Ordinal))
                cancellation.Cancel();
        }
    }

    [Fact]
    public async Task Should_Pool_Several_Files_In_Order()
    {
        // Given TRAIN (50 series) then TEST: item 50 is TEST's first series
        var (code, _, error) = await RunAsync("cam", "--model", model.Path, "--data", TestData.GunPointTrainArff, TestData.GunPointTestArff,
            "--items", "49,50", "--out", _out.Path, "--name", "pooled");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        (code, _, _) = await CamAsync("--items", "0", "--name", "test");
        Assert.Equal(ExitCodes.Success, code);

        // Then its row carries index 50 and the same classes and map as item 0 of TEST alone (up to float rounding:
        // libtorch blocks a batch of 2 differently from a batch of 1)
        var pooled = ReadCsv("pooled.csv");
        var alone = ReadCsv("test.csv");
        Assert.Equal(["49", "50"], pooled.Skip(1).Select(r => r[0]));
        Assert.Equal(alone[1][1..4], pooled[2][1..4]);
        var expected = alone[1][4..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var found = pooled[2][4..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, found.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], found[i], 1e-5);
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        Assert.Equal(train.Labels![49], pooled[1][1]);
    }

    [Fact]
    public async Task Should_Name_Classes_Choose_The_Explained_Class_And_Show_Confidence()
    {
        // Given class names by label, every map explaining Point, one panel per item, confidences
        var (code, output, error) = await CamAsync("--items", "0,1", "--class-names", "1=Gun,2=Point", "--target", "Point",
            "--multi-fig", "--confidence", "--name", "named");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);

        // Then both maps explain class 2, each panel is titled Point with the model's probability for it
        var rows = ReadCsv("named.csv").Skip(1).ToArray();
        Assert.All(rows, r => Assert.Equal("2", r[2]));
        var svg = File.ReadAllText(_out.Combine("named.svg"));
        foreach (var row in rows)
        {
            var percent = (float.Parse(row[4], CultureInfo.InvariantCulture) * 100).ToString("0.0", CultureInfo.InvariantCulture);
            Assert.Contains($"[Point] - GRAD-CAM - mean - {percent}%", svg, StringComparison.Ordinal);
        }
        Assert.Equal((1300, 400), PngHeader.Size(File.ReadAllBytes(_out.Combine("named.png"))));
        Assert.Contains("model gunpoint.model: GunPoint, classes 1 (Gun), 2 (Point); layer 2 (Inception block 2 + shortcut)", Lines(output));
        // and the table uses the names: item 0 is a Gun, item 1 a Point
        Assert.Contains(Lines(output), l => l.StartsWith("   0  Gun    Point", StringComparison.Ordinal));
        Assert.Contains(Lines(output), l => l.StartsWith("   1  Point  Point", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Leave_Cells_Empty_After_A_Shorter_Series_And_Explain_Unlabelled_Data_By_Prediction()
    {
        // Given an unlabelled .ts file whose series have 150, 120 and 100 steps
        var rows = new[] { 150, 120, 100 }.Select(n => string.Join(",", Enumerable.Range(0, n).Select(t => Math.Sin(t / 9.0).ToString("0.###", CultureInfo.InvariantCulture))));
        var file = _out.Write("variable.ts", $"@problemName variable\n@univariate true\n@equalLength false\n@classLabel false\n@data\n{string.Join("\n", rows)}\n");
        var folder = _out.Combine("maps");
        var (code, output, error) = await RunAsync("cam", "--model", model.Path, "--data", file, "--items", "all", "--out", folder);

        // Then each row has 150 map cells, the shorter ones empty after their true length, and no label
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        var csv = File.ReadAllLines(Path.Combine(folder, "cam-gradcam-mean.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal([150, 120, 100], csv.Select(r => r[5..].Count(v => v.Length > 0)));
        Assert.All(csv, r => Assert.Equal(155, r.Length));
        Assert.All(csv, r => Assert.Equal("", r[1]));
        // and with no label to explain, each map explains the prediction, which the output says
        Assert.All(csv, r => Assert.Equal(r[3], r[2]));
        Assert.Contains("note: the data is unlabelled, so each map explains the predicted class.", Lines(output));
        Assert.True(File.Exists(Path.Combine(folder, "cam-gradcam-mean.png")));
    }

    public static TheoryData<string[], int, string[]> Mistakes() => new()
    {
        { ["--items", "0", "--cmap", "sesmic"], ExitCodes.Usage, ["--cmap sesmic: expected one of ", "Spectral_r", "viridis", "hot_r", "; did you mean seismic?"] },
        { ["--items", "0", "--reduction", "avg"], ExitCodes.Usage, ["--reduction avg: expected one of mean, median, max, mean_max"] },
        { ["--items", "0", "--method", "gradcm"], ExitCodes.Usage, ["--method gradcm: expected one of cam, gradcam, gradcam-paper, hirescam, gradcam++, saliency, gradient-x-input, ig, smoothgrad, gradientshap, occlusion, random; did you mean gradcam"] },
        { ["--items", "0,150"], ExitCodes.Usage, ["--items 0,150: item 150 is out of range; expected 0 to 149, the data has 150 series"] },
        { ["--items", "3-1"], ExitCodes.Usage, ["--items 3-1: expected 'all' or indices and ranges", "found '3-1'"] },
        { ["--items", "0-4,3"], ExitCodes.Usage, ["--items 0-4,3: item 3 is given twice; name each item once."] },
        { ["--items", "0", "--class-names", "Gun,Gun"], ExitCodes.Usage, ["--class-names Gun,Gun: ", "\"Gun\" would name two classes; give each its own name."] },
        { ["--items", "0", "--layer", "6"], ExitCodes.Usage, ["--layer 6: out of range; expected 0 to 5: 0-2 Inception blocks (2, the last, is the default), 3 concat pool (max, average), 4 flatten, 5 linear"] },
        { ["--items", "0", "--raw", "--scale-range", "0,2"], ExitCodes.Usage, ["--scale-range has no effect with --raw"] },
        { ["--items", "0", "--scale-range", "1,0"], ExitCodes.Usage, ["--scale-range 1,0: expected two numbers low,high with low < high"] },
        { ["--items", "0", "--class-names", "1=Gun,Point"], ExitCodes.Usage, ["--class-names: Class names \"1=Gun,Point\": expected every entry as label=name", "found \"Point\" without '='"] },
        { ["--items", "0", "--class-names", "1=Gun,3=Point"], ExitCodes.Usage, ["no class labelled \"3\"; the classes are 1, 2"] },
        { ["--items", "0", "--target", "Rifle", "--class-names", "Gun,Point"], ExitCodes.Usage, ["--target Rifle: expected label, predicted, or one of the model's classes: 1 (Gun), 2 (Point)"] },
        { ["--items", "0", "--line-style", "wavy"], ExitCodes.Usage, ["--line-style wavy: expected one of solid, dashed, dotted, dashdot"] },
        { ["--items", "0", "--alpha", "1.5"], ExitCodes.Usage, ["--alpha 1.5: expected an opacity from 0 (invisible) to 1 (opaque)"] },
        { ["--items", "0", "--size", "6by4"], ExitCodes.Usage, ["--size 6by4: expected width x height in inches"] },
        { ["--items", "0", "--name", "../escape"], ExitCodes.Usage, ["--name ../escape: expected a file name without folders"] },
        { ["--items", "0", "--batch-size", "0"], ExitCodes.Usage, ["--batch-size 0: expected a whole number from 1 to 1,000,000"] },
        { ["--items", "0", "--layer", "two"], ExitCodes.Usage, ["two"] },
        { [], ExitCodes.Usage, ["--items", "is required"] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Should_Refuse_A_Mistake_With_One_Line_That_Says_What_Is_Valid(string[] args, int expectedCode, string[] expectedParts)
    {
        // When the command line has one mistake
        var (code, _, error) = await CamAsync(args);

        // Then the exit code is a usage error, standard error holds one line naming the mistake and what is valid, and no file was written
        Assert.Equal(expectedCode, code);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        foreach (var part in expectedParts)
            Assert.Contains(part, line, StringComparison.Ordinal);
        Assert.Empty(_out.Entries());
    }

    [Fact]
    public async Task Should_List_Each_Files_Range_When_A_Pooled_Item_Is_Out_Of_Range()
    {
        var (code, _, error) = await RunAsync("cam", "--model", model.Path, "--data", TestData.GunPointTrainArff, TestData.GunPointTestArff,
            "--items", "200", "--out", _out.Path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("error: --items 200: item 200 is out of range; expected 0 to 199, the data has 200 series: GunPoint_TRAIN.arff 0-49, GunPoint_TEST.arff 50-199.", Assert.Single(Lines(error)));
    }

    [Fact]
    public async Task Should_Fail_With_Exit_Code_1_For_A_Missing_Model_Or_Data_That_Does_Not_Fit()
    {
        // Given a model file that does not exist, and a multivariate file for the univariate model
        var (missingCode, _, missingError) = await RunAsync("cam", "--model", _out.Combine("none.model"), "--data", TestData.GunPointTestArff, "--items", "0", "--out", _out.Path);
        var (channelsCode, _, channelsError) = await RunAsync("cam", "--model", model.Path, "--data", TestData.File("BasicMotions", "BasicMotions_TEST.ts"), "--items", "0", "--out", _out.Path);

        // Then each is one line and exit code 1 (an environment problem, not a command-line mistake)
        Assert.Equal(ExitCodes.Failure, missingCode);
        Assert.StartsWith($"error: {_out.Combine("none.model")}: no such file", Assert.Single(Lines(missingError)), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, channelsCode);
        Assert.Contains("the model was trained on 1-channel series (GunPoint), this data has 6 channels", Assert.Single(Lines(channelsError)), StringComparison.Ordinal);
        Assert.Empty(_out.Entries());
    }

    [Fact]
    public async Task Should_Draw_Sixteen_Items_But_Not_Seventeen()
    {
        // Given 16 items, then 17
        var (sixteen, _, _) = await CamAsync("--items", "0-15", "--method", "cam", "--name", "sixteen");
        var (seventeen, output, _) = await CamAsync("--items", "0-16", "--method", "cam", "--name", "seventeen");

        // Then 16 get a picture (a 4 × 4 grid at most) and 17 only the CSV
        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (sixteen, seventeen));
        Assert.Equal(["seventeen.csv", "sixteen.csv", "sixteen.png", "sixteen.svg"], _out.Entries());
        Assert.Equal(18, File.ReadAllLines(_out.Combine("seventeen.csv")).Length);
        Assert.Contains($"no figure: 17 items are more than {CamCommand.MaxFigureItems} to draw; choose at most 16 with --items to get one.", Lines(output));
    }
}
