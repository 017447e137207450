using Chronoscope.Cli;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using Spectre.Console.Testing;

namespace Chronoscope.Tests.Cli;

/// <summary><c>chronoscope faithfulness</c> and <c>cam</c> with input attributions, in-process, on GunPoint and BasicMotions.</summary>
public sealed class FaithfulnessCommandTests(SavedGunPointModel model) : IClassFixture<SavedGunPointModel>, IDisposable
{
    private readonly TempFolder _out = new();

    public void Dispose() => _out.Dispose();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new TestConsole();
        using var error = new TestConsole();
        output.Profile.Width = 200;
        var code = await new ChronoscopeCli(new CliContext(output, error)).RunAsync(args);
        return (code, output.Output, error.Output);
    }

    private string Folder => Path.Combine(_out.Path, "result");

    [Fact]
    public async Task Should_Print_A_Table_And_Write_Csv_Json_And_Curves()
    {
        var (code, output, error) = await RunAsync("faithfulness", "--model", model.Path, "--data", TestData.GunPointTestArff,
            "--methods", "ig,occlusion,gradcam", "--perturbation", "zero,inverse", "--items", "0-3", "--steps", "5", "--ig-steps", "8", "--out", Folder);

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("perturbation zero (4 items, 5 steps of 2%)", output);
        Assert.Contains("Integrated Gradients", output);
        var csv = File.ReadAllLines(Path.Combine(Folder, "faithfulness.csv"));
        Assert.Equal("perturbation,method,items,ds,dds,deletion_auc,insertion_auc,auc_top,auc_bottom,f_score", csv[0]);
        Assert.Equal(1 + 4 * 2, csv.Length); // IG, Occlusion, GRAD-CAM and the random control, two perturbations
        Assert.Contains(csv, line => line.StartsWith("inverse,Random,4,", StringComparison.Ordinal));
        Assert.Contains("\"morf\"", File.ReadAllText(Path.Combine(Folder, "faithfulness.json")));
        foreach (var name in new[] { "faithfulness-zero.png", "faithfulness-zero.svg", "faithfulness-inverse.png" })
            Assert.True(File.Exists(Path.Combine(Folder, name)), name);
    }

    [Theory]
    [InlineData(ExitCodes.Usage, "--methods", "lime", "--methods lime: unknown 'lime'; expected 'all' or some of cam, gradcam")]
    [InlineData(ExitCodes.Usage, "--perturbation", "blur", "--perturbation blur: unknown 'blur'; expected 'all' or some of zero, mean")]
    [InlineData(ExitCodes.Usage, "--ig-steps", "0", "--ig-steps 0: expected a whole number from 1 to 1,000,000")]
    [InlineData(ExitCodes.Usage, "--window", "151", "--window 151: longer than the series (150 steps)")]
    [InlineData(ExitCodes.Usage, "--perturbation", "training-mean", "give the model's training file with --train")]
    public async Task Should_Refuse_Bad_Input_In_One_Line_And_Write_Nothing(int exit, string option, string value, string message)
    {
        string[] methods = option == "--methods" ? [] : ["--methods", "occlusion"];
        var (code, _, error) = await RunAsync(["faithfulness", "--model", model.Path, "--data", TestData.GunPointTestArff,
            .. methods, "--items", "0", option, value, "--out", Folder]);

        Assert.Equal(exit, code);
        Assert.Contains(message, error);
        Assert.Single(CliRunner.Lines(error));
        Assert.False(Directory.Exists(Folder));
    }

    [Fact]
    public async Task Should_Refuse_Data_The_Model_Was_Not_Trained_For()
    {
        var (code, _, error) = await RunAsync("faithfulness", "--model", model.Path, "--data", TestData.File("BasicMotions", "BasicMotions_TEST.ts"), "--out", Folder);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("the model was trained on 1-channel series", error);
        Assert.False(Directory.Exists(Folder));
    }

    [Fact]
    public async Task Should_Draw_And_Write_Channel_By_Time_Maps_With_A_Channel_Column()
    {
        // Given a small six-channel BasicMotions model
        var (path, data) = SaveMotionsModel("motions.model");

        // When Integrated Gradients explains two series with --verbose
        var (code, output, error) = await RunAsync("cam", "--model", path, "--data", data, "--items", "0,1", "--method", "ig", "--ig-steps", "16", "--out", Folder, "--verbose");

        // Then the CSV has a row per item and channel, the picture has a panel per channel, the channel chart exists,
        // and the completeness check is printed per item
        Assert.True(code == ExitCodes.Success, error);
        var csv = File.ReadAllLines(Path.Combine(Folder, "cam-ig.csv"));
        Assert.StartsWith("item,channel,label,explained,predicted,confidence,t0,", csv[0], StringComparison.Ordinal);
        Assert.Equal(1 + 2 * 6, csv.Length);
        Assert.StartsWith("1,5,", csv[^1], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Folder, "cam-ig.png")));
        Assert.True(File.Exists(Path.Combine(Folder, "cam-ig-channels.png")));
        Assert.Equal(2, CliRunner.Lines(output).Count(l => l.StartsWith("completeness item ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Should_Name_The_Channels_In_The_Csv_And_Draw_Strips_When_Asked()
    {
        // Given a small six-channel BasicMotions model
        var (path, data) = SaveMotionsModel("motions-named.model");

        // When saliency explains two series with named channels as strips, and with one name too few
        var (code, _, error) = await RunAsync("cam", "--model", path, "--data", data, "--items", "0,1", "--method", "saliency",
            "--channel-names", "accX,accY,accZ,gyrX,gyrY,gyrZ", "--view", "strips", "--out", Folder);
        var (shortCode, _, shortError) = await RunAsync("cam", "--model", path, "--data", data, "--items", "0", "--method", "saliency",
            "--channel-names", "accX,accY,accZ,gyrX,gyrY", "--out", Folder, "--name", "short");
        var (viewCode, _, viewError) = await RunAsync("cam", "--model", path, "--data", data, "--items", "0", "--view", "heat", "--out", Folder, "--name", "view");

        // Then the CSV's channel column holds the names, the picture exists; the short list and an unknown view are
        // usage errors that name what is expected, and write nothing
        Assert.True(code == ExitCodes.Success, error);
        var csv = File.ReadAllLines(Path.Combine(Folder, "cam-saliency.csv"));
        Assert.Equal(["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ", "accX"], csv.Skip(1).Take(7).Select(row => row.Split(',')[1]));
        Assert.True(File.Exists(Path.Combine(Folder, "cam-saliency.png")));
        Assert.Equal(ExitCodes.Usage, shortCode);
        Assert.Contains("--channel-names accX,accY,accZ,gyrX,gyrY: expected 6 names, one per channel of BasicMotions, found 5.", shortError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Folder, "short.csv")));
        Assert.Equal(ExitCodes.Usage, viewCode);
        Assert.Contains("auto, lines, strips", viewError, StringComparison.Ordinal);
    }

    /// <summary>An untrained six-channel BasicMotions classifier saved under <paramref name="name"/>, and the TEST file.</summary>
    private (string Model, string Data) SaveMotionsModel(string name)
    {
        var path = _out.Combine(name);
        var data = TestData.File("BasicMotions", "BasicMotions_TEST.ts");
        var read = DatasetReader.Read(data);
        using var classifier = new TimeSeriesClassifier(Seeded.Build(1, () => new InceptionTime(6, 4, SmallModels.Shape)), [.. read.Classes],
            Normalizer.Fit(Normalization.PerChannel, read), MissingValues.Interpolate, read.Length, "BasicMotions");
        classifier.Save(path);
        return (path, data);
    }
}
