using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;
using Chronoscope.Onnx;
using Chronoscope.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Xunit.Abstractions;

namespace Chronoscope.Tests.Inference.Interop;

/// <summary>The ONNX graph, run by ONNX Runtime on the raw series, against the classifier's own predictions and layer outputs.</summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    public static TheoryData<string, InceptionTimeVariant, int[], Normalization, int, int> Cases => new()
    {
        // dataset, variant, kernels, normalization, opset, layer whose activations are the second output
        { "GunPoint", InceptionTimeVariant.Fastai, [9, 5, 3], Normalization.PerChannel, 17, 5 },
        { "GunPoint", InceptionTimeVariant.Paper, [10, 6, 4], Normalization.PerSample, 18, 4 },
        { "GunPoint", InceptionTimeVariant.Tsai, [9, 5, 3], Normalization.MinMax, 21, 5 },
        { "BasicMotions", InceptionTimeVariant.Fastai, [9, 5, 3], Normalization.PerChannel, 17, 5 },
        { "BasicMotions", InceptionTimeVariant.Paper, [10, 6, 4], Normalization.PerChannel, 19, 6 },
        { "BasicMotions", InceptionTimeVariant.Tsai, [9, 5, 3], Normalization.PerSample, 17, 2 },
        { "BasicMotions", InceptionTimeVariant.Fastai, [9, 5, 3], Normalization.None, 20, 8 },
        { "GunPoint", InceptionTimeVariant.Fastai, [9, 5, 3], Normalization.MeanSeries, 18, 3 },
        { "BasicMotions", InceptionTimeVariant.Tsai, [9, 5, 3], Normalization.MeanSeries, 21, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_Give_The_Classifiers_Probabilities_And_Activations_Under_Onnx_Runtime(
        string dataset, InceptionTimeVariant variant, int[] kernels, Normalization normalization, int opset, int layer)
    {
        // Given a classifier with random BatchNorm statistics and its test data as read
        var (train, test) = dataset == "GunPoint"
            ? (DatasetReader.Read(TestData.GunPointTrainArff), DatasetReader.Read(TestData.GunPointTestArff))
            : (DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TRAIN.ts")), DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TEST.ts")));
        var shape = SmallModels.Shape with { Depth = 6, Variant = variant, KernelSizes = kernels }; // even kernels pad one step more after
        using var classifier = InteropModels.For(train, shape, seed: 21, normalization);

        // When it is exported with the activations of a layer as second output and run by ONNX Runtime
        var bytes = OnnxExport.Build(classifier, new OnnxExportOptions { Opset = opset, ActivationLayer = layer }, "model.onnx");
        using var session = new InferenceSession(bytes);
        var input = new DenseTensor<float>(test.Values.ToArray(), [test.Count, test.Channels, test.Length]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("series", input)]);
        var probabilities = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        var activations = results.Single(r => r.Name == "activations").AsTensor<float>();

        // Then probabilities agree within 1e-5 and the layer's activations within 1e-4
        using (new TensorLeakCheck())
        {
            var expected = classifier.Predict(test).Probabilities.ToArray();
            var (expectedActivations, expectedShape) = Activations(classifier, test, layer);
            Assert.Equal(expectedShape, activations.Dimensions.ToArray().Select(d => (long)d));
            var probabilityDifference = MaxAbsDifference(expected, probabilities);
            var activationDifference = MaxAbsDifference(expectedActivations, activations.ToArray());
            output.WriteLine($"{dataset} {variant} kernels {string.Join(",", kernels)} {normalization} opset {opset}: probabilities max |Δ| {probabilityDifference:E2}, layer {layer} activations max |Δ| {activationDifference:E2} (largest |activation| {expectedActivations.Max(Math.Abs):F2})");
            Assert.InRange(probabilityDifference, 0, 1e-5);
            Assert.InRange(activationDifference, 0, 1e-4);
            Assert.True(expected.Max() - expected.Min() > 0.01, "predictions that do not vary would not test much");
        }
    }

    [Fact]
    public void Should_Give_The_Activations_A_Cam_Is_Computed_From()
    {
        // Given a BasicMotions classifier exported with the last block's activations as second output
        var train = DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TRAIN.ts"));
        var test = DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TEST.ts"));
        using var classifier = InteropModels.For(train, SmallModels.Shape, seed: 22, Normalization.PerChannel);
        using var session = new InferenceSession(OnnxExport.Build(classifier, new OnnxExportOptions { ActivationLayer = classifier.Model.LastBlock }, "cam.onnx"));

        // When the CAM (the activations' mean over channels, unscaled) is computed from ONNX Runtime's output
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("series", new DenseTensor<float>(test.Values.ToArray(), [test.Count, test.Channels, test.Length]))]);
        var activations = results.Single(r => r.Name == "activations").AsTensor<float>(); // (B, 64, T)
        var (channels, length) = (activations.Dimensions[1], activations.Dimensions[2]);
        var onnxCam = Enumerable.Range(0, test.Count)
            .SelectMany(b => Enumerable.Range(0, length).Select(t => Enumerable.Range(0, channels).Average(c => activations[b, c, t])))
            .ToArray();

        // Then it is Chronoscope's own CAM of every series within 1e-4
        var maps = new Explainer(classifier).Explain(test, [.. Enumerable.Range(0, test.Count)],
            new ExplainOptions { Method = MapMethod.Cam, ForceScale = false });
        var difference = MaxAbsDifference(maps.Values.ToArray(), [.. onnxCam.Select(v => (float)v)]);
        output.WriteLine($"CAM from ONNX activations vs Chronoscope, {test.Count} BasicMotions series: max |Δ| {difference:E2}");
        Assert.InRange(difference, 0, 1e-4);
    }

    [Fact]
    public void Should_Take_Any_Length_Unless_Fixed()
    {
        using var classifier = InteropModels.GunPoint(SmallModels.Shape);
        var test = DatasetReader.Read(TestData.GunPointTestArff).Subset([0, 1, 2]);
        var shorter = new DenseTensor<float>(test.Values.ToArray().Chunk(150).SelectMany(s => s[..100]).ToArray(), [3, 1, 100]);

        using var dynamic = new InferenceSession(OnnxExport.Build(classifier, new OnnxExportOptions(), "dynamic.onnx"));
        using var results = dynamic.Run([NamedOnnxValue.CreateFromTensor("series", shorter)]);
        Assert.Equal([3, 2], results.Single().AsTensor<float>().Dimensions.ToArray());
        Assert.Equal(["batch", "", "length"], dynamic.InputMetadata["series"].SymbolicDimensions);

        using var fixedLength = new InferenceSession(OnnxExport.Build(classifier, new OnnxExportOptions { FixedLength = true }, "fixed.onnx"));
        Assert.Equal([-1, 1, 150], fixedLength.InputMetadata["series"].Dimensions);
        Assert.ThrowsAny<OnnxRuntimeException>(() => fixedLength.Run([NamedOnnxValue.CreateFromTensor("series", shorter)]));
        Assert.Equal("""["1","2"]""", fixedLength.ModelMetadata.CustomMetadataMap["classes"]);
    }

    [Theory]
    [InlineData(16, "opset 16 is not supported: this exporter writes opsets 17 to 21.")]
    [InlineData(22, "opset 22 is not supported: this exporter writes opsets 17 to 21.")]
    public void Should_Refuse_An_Unsupported_Opset_And_Write_Nothing(int opset, string expected)
    {
        using var folder = new TempFolder();
        using var classifier = InteropModels.GunPoint(SmallModels.Shape);
        var path = folder.Combine("model.onnx");
        var error = Assert.Throws<ModelInteropException>(() => OnnxExport.Save(classifier, path, new OnnxExportOptions { Opset = opset }));
        Assert.Equal($"{path}: {expected}", error.Message);
        Assert.Empty(folder.Entries());
    }

    /// <summary>The classifier's own output of <paramref name="layer"/> for every series, in eval mode.</summary>
    private static (float[] Values, long[] Shape) Activations(TimeSeriesClassifier classifier, TimeSeriesDataset data, int layer)
    {
        using var loader = classifier.CreateLoader(data, batchSize: data.Count);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        using var batch = loader.GetBatch([.. Enumerable.Range(0, data.Count)]);
        classifier.Model.Forward(batch.Inputs, layer, out var activation);
        return (activation!.contiguous().data<float>().ToArray(), activation.shape);
    }

    private static double MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }
}
