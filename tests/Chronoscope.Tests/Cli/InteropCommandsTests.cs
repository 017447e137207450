using Chronoscope.Cli;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using static Chronoscope.Tests.Cli.CliRunner;

namespace Chronoscope.Tests.Cli;

/// <summary><c>chronoscope export</c> and <c>chronoscope import</c> in-process: files written, and bad input as one line, exit code 1 and no output file.</summary>
public sealed class InteropCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;

    public InteropCommandsTests()
    {
        _model = _folder.Combine("model.chronoscope");
        using var classifier = InteropModels.GunPoint(SmallModels.Shape);
        classifier.Save(_model);
    }

    public void Dispose() => _folder.Dispose();

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args, _folder.Combine("cache"));

    [Fact]
    public async Task Should_Export_To_PyTorch_And_Import_Back_The_Same_Model()
    {
        var weights = _folder.Combine("out", "weights.pt");
        var (code, output, error) = await RunAsync("export", "--model", _model, "--to", "pytorch", "--out", weights);
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains($"wrote {weights} and {_folder.Combine("out", "weights.json")}", output, StringComparison.Ordinal);

        var imported = _folder.Combine("imported.chronoscope");
        (code, output, error) = await RunAsync("import", "--from", "pytorch", weights, "--arch", "fastai", "--channels", "1", "--classes", "2", "--length", "150", "--out", imported);
        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal("", error); // classes and normalization came from the JSON beside the weights: no warning
        Assert.Contains("classes 1, 2; normalization PerChannel", output, StringComparison.Ordinal);

        using var before = TimeSeriesClassifier.Load(_model);
        using var after = TimeSeriesClassifier.Load(imported);
        var expected = InteropModels.Bytes(before.Model);
        var actual = InteropModels.Bytes(after.Model);
        Assert.All(expected, p => Assert.True(p.Value.AsSpan().SequenceEqual(actual[p.Key]), p.Key));
    }

    [Theory]
    [InlineData("Gun,Point", null)] // as cam and report take names
    [InlineData("Gun", "Point")]
    public async Task Should_Take_Class_Names_Separated_By_Commas_Or_Spaces(string first, string? second)
    {
        string[] names = second is null ? [first] : [first, second];
        var weights = _folder.Combine("w.pt");
        var (code, _, error) = await RunAsync("export", "--model", _model, "--to", "pytorch", "--out", weights);
        Assert.True(code == ExitCodes.Success, error);

        var imported = _folder.Combine("named.chronoscope");
        (code, var output, error) = await RunAsync(["import", weights, "--channels", "1", "--classes", "2", "--length", "150", "--class-names", .. names, "--out", imported]);

        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("classes Gun, Point;", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Export_Onnx_With_A_Layers_Activations()
    {
        var path = _folder.Combine("model.onnx");
        var (code, output, error) = await RunAsync("export", "--model", _model, "--to", "onnx", "--activations", "2", "--opset", "18", "--out", path);
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("output 'probabilities' and 'activations' (layer 2: Inception block 2 + shortcut); opset 18", output, StringComparison.Ordinal);
        using var session = new InferenceSession(path);
        Assert.Equal(["probabilities", "activations"], session.OutputMetadata.Keys);
        Assert.Equal([-1, 64, -1], session.OutputMetadata["activations"].Dimensions);
    }

    [Theory]
    [InlineData("--opset", "16", "error: --opset 16: expected a whole number from 17 to 21 (see 'chronoscope export --help').")]
    [InlineData("--opset", "99", "error: --opset 99: expected a whole number from 17 to 21 (see 'chronoscope export --help').")]
    [InlineData("--activations", "99", "error: --activations 99: out of range; expected a layer from 0 to ")]
    public async Task Should_Refuse_An_Unsupported_Opset_Or_Layer_As_A_Usage_Error_And_Write_No_File(string option, string value, string expected)
    {
        var path = _folder.Combine("model.onnx");
        var (code, _, error) = await RunAsync("export", "--model", _model, "--to", "onnx", option, value, "--out", path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith(expected, Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Should_Refuse_Onnx_Options_For_Other_Targets()
    {
        var (code, _, error) = await RunAsync("export", "--model", _model, "--to", "safetensors", "--opset", "18", "--out", _folder.Combine("w.safetensors"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["error: --opset: only for --to onnx."], Lines(error));
    }

    [Fact]
    public async Task Should_Refuse_Bad_Weights_In_One_Line_Naming_File_And_Key_And_Write_Nothing()
    {
        var weights = _folder.Combine("weights.safetensors");
        Assert.Equal(0, (await RunAsync("export", "--model", _model, "--to", "safetensors", "--out", weights)).Code);
        var output = _folder.Combine("imported.chronoscope");
        string[] Import(string file, string channels = "1") =>
            ["import", "--from", "pytorch", file, "--arch", "fastai", "--channels", channels, "--classes", "2", "--length", "150", "--out", output];

        // Wrong channel count
        var (code, _, error) = await RunAsync(Import(weights, "3"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal([$"error: {weights}: the weights are for 1-channel series ('0.layers.0.maxpool_bottleneck.1.weight: (16, 1, 1)'), not 3."], Lines(error));

        // A missing key
        var missing = _folder.Combine("missing.safetensors");
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            var tensors = StateDictFile.Read(weights);
            tensors.Remove("2.layers.1.bn.running_var");
            File.WriteAllBytes(missing, StateDictFile.Write(tensors, WeightFormat.Safetensors));
        }
        (code, _, error) = await RunAsync(Import(missing));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal([$"error: {missing}: missing key '2.layers.1.bn.running_var' (shape (64)) of a fastai InceptionTime with 1 channels and 2 classes."], Lines(error));

        // A wrong shape
        var wrong = _folder.Combine("wrong.safetensors");
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            var tensors = StateDictFile.Read(weights);
            tensors["1.layers.0.bottleneck.weight"] = TorchSharp.torch.zeros(16, 63, 1);
            File.WriteAllBytes(wrong, StateDictFile.Write(tensors, WeightFormat.Safetensors));
        }
        (code, _, error) = await RunAsync(Import(wrong));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal([$"error: {wrong}: key '1.layers.0.bottleneck.weight' has shape (16, 63, 1), a fastai InceptionTime with 1 channels and 2 classes needs (16, 64, 1)."], Lines(error));

        // A pickle that is not a state_dict
        var checkpoint = _folder.Combine("checkpoint.pt");
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            using var stream = File.Create(checkpoint);
            TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(stream, new System.Collections.Hashtable { ["optimizer"] = new System.Collections.Hashtable() });
        }
        (code, _, error) = await RunAsync(Import(checkpoint));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal([$"error: {checkpoint}: not a state_dict: key 'optimizer' holds a dictionary, not a tensor (a training checkpoint? save the model's own torch.save(model.state_dict(), path))."], Lines(error));

        // A truncated file
        var truncated = _folder.Write("truncated.safetensors", File.ReadAllBytes(weights)[..5000]);
        (code, _, error) = await RunAsync(Import(truncated));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Single(Lines(error));
        Assert.StartsWith($"error: {truncated}: truncated", Lines(error)[0], StringComparison.Ordinal);

        Assert.False(File.Exists(output));
        Assert.DoesNotContain(_folder.Entries(), e => e.Contains("imported", StringComparison.Ordinal));
    }
}
