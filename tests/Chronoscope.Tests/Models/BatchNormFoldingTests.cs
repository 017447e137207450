using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Tests.Models;

public sealed class BatchNormFoldingTests
{
    public static TheoryData<string> Shapes => ["fastai", "paper", "tsai", "narrow"];

    private static InceptionTimeOptions Options(string shape) => shape switch
    {
        "fastai" => new InceptionTimeOptions(),
        "paper" => InceptionTimeOptions.Paper,
        "tsai" => InceptionTimeOptions.Paper with { Variant = InceptionTimeVariant.Tsai },
        // 8 filters: the branches convolve by matrix product; an even kernel pads unevenly; no explicit padding trick
        _ => new InceptionTimeOptions { Depth = 3, Filters = 8, KernelSizes = [9, 4, 3], BottleneckSize = 8, ExplicitPaddingFromKernelSize = int.MaxValue },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Should_Give_The_Logits_And_Activations_Of_The_Unfolded_Network(string shape)
    {
        // Given a seeded network whose BatchNorms have far-from-identity statistics and affine parameters, and the same
        // network in float64 as the exact reference
        using var leaks = new TensorLeakCheck();
        using var model = Seeded(2, 3, Options(shape), seed: 11);
        using var exact = Seeded(2, 3, Options(shape), seed: 11);
        exact.to(torch.float64);
        model.eval();
        exact.eval();
        using var scope = torch.NewDisposeScope();
        var x = Values(new Random(5), 4 * 2 * 40, -2, 2).reshape(4, 2, 40); // (B, C, T)

        // When the same inputs go through it (no gradients: inference) with the BatchNorms folded and as such, in
        // float32 and float64
        var folded = Run(model, x, fold: true);
        var unfolded = Run(model, x, fold: false);
        var reference = Run(exact, x.to(torch.float64), fold: false);
        var exactFolded = Run(exact, x.to(torch.float64), fold: true);

        // Then in float64 the logits and the last block's activations are the same numbers: the fold is an exact
        // re-parameterisation
        for (var i = 0; i < reference.Length; i++)
            Assert.True(MaxDifference(reference[i], exactFolded[i]) <= 1e-12 * MaxAbs(reference[i]), $"float64 output {i} differs by {MaxDifference(reference[i], exactFolded[i]):E3}");
        // And in float32 they are as close to the float64 values as the unfolded network's
        for (var i = 0; i < folded.Length; i++)
        {
            var size = MaxAbs(reference[i]);
            Assert.True(size > 1e-3, "a reference of zeros would compare nothing");
            var rounding = Math.Max(MaxDifference(reference[i], unfolded[i]), 1e-6 * size);
            var error = MaxDifference(reference[i], folded[i]);
            Assert.True(error <= 4 * rounding, $"output {i}: folded is {error:E3} off the float64 values (up to {size:E3}), unfolded {rounding:E3}");
        }
        Assert.True(model.FoldsBatchNorm, "the flag is back to its default");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Should_Fold_In_BFloat16_As_The_Mixed_Network_Runs_Unfolded(string shape)
    {
        // Given the seeded network's float32 outputs, and then its convolutions set to compute in bfloat16
        using var leaks = new TensorLeakCheck();
        using var model = Seeded(2, 3, Options(shape), seed: 11);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = Values(new Random(5), 4 * 2 * 40, -2, 2).reshape(4, 2, 40); // (B, C, T)
        var exact = Run(model, x, fold: true);
        model.ConvolutionType = torch.ScalarType.BFloat16;
        try
        {
            // When it runs folded (prediction) and unfolded (the mixed training path)
            var folded = Run(model, x, fold: true);
            var unfolded = Run(model, x, fold: false);

            // Then both give float32 logits within bfloat16's rounding of the float32 network's (3% of the largest
            // value), and neither equals them: bfloat16 was computed. The folded blocks stay in bfloat16 (no cast
            // between them; tsai's last shortcut, a BatchNorm without convolution, normalizes in float32), the unfolded
            // ones return to float32 for BatchNorm.
            var lastBlock = shape == "tsai" ? torch.ScalarType.Float32 : torch.ScalarType.BFloat16;
            Assert.Equal([torch.ScalarType.Float32, lastBlock], folded.Select(t => t.dtype));
            Assert.All(unfolded, t => Assert.Equal(torch.ScalarType.Float32, t.dtype));
            for (var i = 0; i < exact.Length; i++)
            {
                var size = MaxAbs(exact[i]);
                Assert.InRange(MaxDifference(exact[i], folded[i]), 1e-6 * size, 0.03 * size);
                Assert.InRange(MaxDifference(exact[i], unfolded[i]), 1e-6 * size, 0.03 * size);
            }
        }
        finally
        {
            model.ConvolutionType = torch.ScalarType.Float32;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Should_Not_Fold_While_Gradients_Are_Taken(string shape)
    {
        // Given a seeded network in eval mode
        using var leaks = new TensorLeakCheck();
        using var model = Seeded(2, 3, Options(shape), seed: 13);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = Values(new Random(6), 3 * 2 * 40, -2, 2).reshape(3, 2, 40); // (B, C, T)
        var targets = torch.tensor(new long[] { 2, 0, 1 });

        // When the explainers' gradients are taken with the fold on (the default) and off
        var on = Gradients(model, x, targets, fold: true);
        var off = Gradients(model, x, targets, fold: false);

        // Then they are the same numbers, bit for bit: maps take the exact path (folded, input gradients of the paper's
        // network moved by up to 1e-3 of their largest value in float32)
        for (var i = 0; i < on.Length; i++)
            Assert.True(on[i].eq(off[i]).all().item<bool>(), $"gradient output {i} differs with the fold on");
    }

    [Fact]
    public void Should_Leave_Training_Mode_Untouched()
    {
        // Given a seeded network in training mode (BatchNorm uses the batch's statistics there)
        using var leaks = new TensorLeakCheck();
        using var model = Seeded(1, 2, new InceptionTimeOptions(), seed: 3);
        model.train();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = Values(new Random(9), 3 * 30, -1, 1).reshape(3, 1, 30); // (B, C, T)

        // When it runs with the fold on and off
        model.FoldsBatchNorm = true;
        var on = model.call(x);
        model.FoldsBatchNorm = false;
        var off = model.call(x);

        // Then nothing is folded: the batch statistics give the same logits either way, bit for bit
        Assert.True(on.eq(off).all().item<bool>(), "training mode must not fold");
    }

    [Fact]
    public void Should_Not_Change_The_Saved_Model_After_Predicting_And_Explaining()
    {
        // Given a classifier saved once
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var classifier = SmallModels.GunPoint(seed: 4);
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        classifier.Save(folder.Combine("before.chronoscope"));

        // When it predicts (folded, the default in eval mode) and explains, and is saved again
        classifier.Predict(test);
        new Explainer(classifier).Explain(test, [0, 1, 2], new ExplainOptions { Method = MapMethod.GradCam });
        classifier.Save(folder.Combine("after.chronoscope"));

        // Then both files hold the same weights and statistics, bit for bit
        using var before = TimeSeriesClassifier.Load(folder.Combine("before.chronoscope"));
        using var after = TimeSeriesClassifier.Load(folder.Combine("after.chronoscope"));
        var first = before.Model.state_dict();
        var second = after.Model.state_dict();
        using var scope = torch.NewDisposeScope();
        Assert.Equal(first.Keys, second.Keys);
        foreach (var (name, value) in first)
            Assert.True(value.eq(second[name]).all().item<bool>(), $"{name} changed");
    }

    // Logits (B, K) and last-block activations (B, 4F, T), without gradients.
    private static torch.Tensor[] Run(InceptionTime model, torch.Tensor x, bool fold)
    {
        model.FoldsBatchNorm = fold;
        try
        {
            using var noGrad = torch.no_grad();
            var logits = model.Forward(x, model.LastBlock, out var activations);
            return [logits, activations!];
        }
        finally
        {
            model.FoldsBatchNorm = true;
        }
    }

    // Last-block activations and gradients (B, 4F, T), as Grad-CAM takes them, and input gradients (B, C, T).
    private static torch.Tensor[] Gradients(InceptionTime model, torch.Tensor x, torch.Tensor targets, bool fold)
    {
        model.FoldsBatchNorm = fold;
        try
        {
            var (activations, gradients) = LayerGradients.Compute(model, x, model.LastBlock, targets);
            using var gradientMode = torch.enable_grad();
            var input = x.detach().requires_grad_(true);
            var score = model.call(input).gather(1, targets.unsqueeze(1)).sum();
            var inputGradients = torch.autograd.grad([score], [input])[0];
            return [activations, gradients, inputGradients];
        }
        finally
        {
            model.FoldsBatchNorm = true;
        }
    }

    private static double MaxAbs(torch.Tensor values) => values.detach().abs().max().to(torch.float64).item<double>();

    private static double MaxDifference(torch.Tensor expected, torch.Tensor actual) =>
        MaxAbs(expected.detach().to(torch.float64) - actual.detach().to(torch.float64));

    /// <summary>A seeded network whose BatchNorms have the statistics and affine parameters of a trained one.</summary>
    internal static InceptionTime Seeded(int channels, int classes, InceptionTimeOptions options, int seed)
    {
        var model = TestSupport.Seeded.Build(seed, () => new InceptionTime(channels, classes, options));
        // Statistics and affine parameters as after training, far from the identity the constructor leaves.
        var random = new Random(seed);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var norm in model.modules().OfType<BatchNorm1d>())
        {
            var n = (int)norm.weight!.shape[0];
            norm.weight.copy_(Values(random, n, 0.3, 2));
            norm.bias!.copy_(Values(random, n, -1, 1));
            norm.running_mean!.copy_(Values(random, n, -1, 1));
            norm.running_var!.copy_(Values(random, n, 0.1, 3));
        }
        return model;
    }

    private static torch.Tensor Values(Random random, int count, double low, double high) =>
        torch.tensor(Enumerable.Range(0, count).Select(_ => (float)(low + (high - low) * random.NextDouble())).ToArray());
}
