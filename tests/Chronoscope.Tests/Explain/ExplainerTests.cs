using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Explain;

public sealed class ExplainerTests
{
    // A one-block network small enough to compute by hand: layer 0 is ReLU(BN([conv_k1(x), conv1x1(maxpool3(x))]))
    // with BN at its initial statistics (x / sqrt(1 + 1e-5) in eval mode); the head sees [max c0, max c1, mean c0, mean c1].
    private static readonly double BatchNormScale = 1 / Math.Sqrt(1 + 1e-5);

    private static TimeSeriesClassifier TinyClassifier(float[] head, float[] bias)
    {
        var model = new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1, Filters = 1, KernelSizes = [1], BottleneckSize = 0 });
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            parameters["blocks.0.inception.convs.0.weight"].fill_(1.0);
            parameters["blocks.0.inception.pool_conv.weight"].fill_(0.5);
            parameters["head.weight"].copy_(torch.tensor(head, [2, 4]));
            parameters["head.bias"].copy_(torch.tensor(bias));
        }
        var data = new TimeSeriesDataset("Tiny", [0f], 1, 1, 1, ["a"]);
        return new TimeSeriesClassifier(model, ["a", "b"], Normalizer.Fit(Normalization.None, data), MissingValues.Fail, 4, "Tiny");
    }

    private static TimeSeriesDataset Series(params float[][] rows) =>
        new("Tiny", [.. rows.SelectMany(r => r)], rows.Length, 1, rows[0].Length, [.. rows.Select(_ => "b")]);

    [Fact]
    public void Should_Compute_The_Packages_Grad_Cam_By_Hand()
    {
        // Given x = 1 3 2 -1: channel 0 = ReLU(x)·s = [1, 3, 2, 0]·s; channel 1 = ReLU(0.5·maxpool3(x))·s = [1.5, 1.5, 1.5, 1]·s.
        // Class b's logit = 2·max(c0) + 0·max(c1) + 4·mean(c0) - 8·mean(c1) (the 0 keeps channel 1's tied maxima out of it)
        using var leaks = new TensorLeakCheck();
        using var classifier = TinyClassifier(head: [1, 1, 1, 1, 2, 0, 4, -8], bias: [0, 0]);
        var s = BatchNormScale;
        double[] c0 = [1 * s, 3 * s, 2 * s, 0], c1 = [1.5 * s, 1.5 * s, 1.5 * s, 1 * s];

        var maps = new Explainer(classifier).Explain(Series([1, 3, 2, -1]), [0], new ExplainOptions { ForceScale = false });

        // Then G_c0[t] = 2·[t = 1] + 4/4, G_c1[t] = -8/4; weights are their means over time; the map is the channel mean
        var w0 = (2 + 4 * 1.0) / 4;
        var w1 = -8 / 4.0;
        var expected = Enumerable.Range(0, 4).Select(t => (w0 * c0[t] + w1 * c1[t]) / 2).ToArray();
        Assert.Equal("GRAD-CAM - mean", maps.Title);
        Assert.Equal(1, maps.ExplainedClasses[0]);
        for (var t = 0; t < 4; t++)
            Assert.Equal(expected[t], maps.Map(0)[t], 1e-5);
    }

    [Fact]
    public void Should_Compute_Cam_HiResCam_And_The_Paper_Grad_Cam_By_Hand()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = TinyClassifier(head: [1, 1, 1, 1, 2, 0, 4, -8], bias: [0, 0]);
        var explainer = new Explainer(classifier);
        var s = BatchNormScale;
        double[] c0 = [1 * s, 3 * s, 2 * s, 0], c1 = [1.5 * s, 1.5 * s, 1.5 * s, 1 * s];
        double[] g0 = [1, 3, 1, 1], g1 = [-2, -2, -2, -2];
        var raw = new ExplainOptions { ForceScale = false };

        var cam = explainer.Explain(Series([1, 3, 2, -1]), [0], raw with { Method = MapMethod.Cam, Reduction = Reduction.Max });
        var hires = explainer.Explain(Series([1, 3, 2, -1]), [0], raw with { Method = MapMethod.HiResCam });
        var paper = explainer.Explain(Series([1, 3, 2, -1]), [0], raw with { Method = MapMethod.GradCamPaper });

        for (var t = 0; t < 4; t++)
        {
            Assert.Equal(Math.Max(c0[t], c1[t]), cam.Map(0)[t], 1e-5);
            Assert.Equal(g0[t] * c0[t] + g1[t] * c1[t], hires.Map(0)[t], 1e-5);
            Assert.Equal(Math.Max(0, 1.5 * c0[t] - 2 * c1[t]), paper.Map(0)[t], 1e-5);
        }
        Assert.Equal("CAM - max", cam.Title);
        Assert.Equal("HiResCAM", hires.Title);
    }

    [Fact]
    public void Should_Compute_Grad_Cam_Plus_Plus_As_Its_Closed_Form()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = TinyClassifier(head: [1, 1, 1, 1, 2, 0, 4, -8], bias: [0, 0]);
        var s = BatchNormScale;
        double[][] a = [[1 * s, 3 * s, 2 * s, 0], [1.5 * s, 1.5 * s, 1.5 * s, 1 * s]];
        double[][] g = [[1, 3, 1, 1], [-2, -2, -2, -2]];

        var maps = new Explainer(classifier).Explain(Series([1, 3, 2, -1]), [0], new ExplainOptions { Method = MapMethod.GradCamPlusPlus, ForceScale = false });

        // α = g² / (2g² + Σₜa · g³), w_c = Σₜ α · max(g, 0), map = max(Σ_c w_c a_c, 0)
        var weights = Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, 4).Sum(t =>
        {
            var denominator = 2 * g[c][t] * g[c][t] + a[c].Sum() * Math.Pow(g[c][t], 3);
            return g[c][t] * g[c][t] / denominator * Math.Max(g[c][t], 0);
        })).ToArray();
        for (var t = 0; t < 4; t++)
            Assert.Equal(Math.Max(0, weights[0] * a[0][t] + weights[1] * a[1][t]), maps.Map(0)[t], 1e-5);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(3)]
    public void Should_Use_The_Gradient_A_Finite_Difference_Estimates(int layer)
    {
        // Given the full network in float64 and a series
        using var leaks = new TensorLeakCheck();
        using var model = Seeded.Build(11, () => new InceptionTime(1, 3));
        model.to(torch.float64);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = Seeded.Build(12, () => torch.randn(1, 1, 40, dtype: torch.float64));
        var target = torch.tensor(new long[] { 2 });

        // When the analytic gradient of logit 2 with respect to the layer's output is taken
        var (activations, gradients) = LayerGradients.Compute(model, x, layer, target);

        // Then central differences of the logit through the rest of the network agree at a few positions
        double Logit(torch.Tensor a)
        {
            using var inner = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var h = a;
            for (var d = layer + 1; d <= model.LastBlock; d++)
                h = ((InceptionBlock)model[d]).call(h, h);
            var pooled = ((torch.nn.Module<torch.Tensor, torch.Tensor>)model[model.LastBlock + 1]).call(h);
            var flat = ((torch.nn.Module<torch.Tensor, torch.Tensor>)model[model.LastBlock + 2]).call(pooled);
            return ((torch.nn.Module<torch.Tensor, torch.Tensor>)model[model.LastBlock + 3]).call(flat)[0, 2].item<double>();
        }
        // at positions away from kinks: inside a channel's range and at a channel's unique maximum (not at a tie of
        // ReLU zeros, where the max-pool's derivative does not exist)
        const double h = 1e-6;
        var values = activations[0].data<double>().ToArray();
        var length = (int)activations.shape[2];
        var positions = new List<(int, int)>();
        for (var c = 0; c < activations.shape[1] && positions.Count < 8; c++)
        {
            var row = values.AsSpan(c * length, length).ToArray();
            var sorted = row.OrderDescending().ToArray();
            if (sorted[0] - sorted[1] > 1e-3)
                positions.Add((c, Array.IndexOf(row, sorted[0])));
            var inside = Array.FindIndex(row, v => v > 1e-3 && sorted[0] - v > 1e-3);
            if (inside >= 0)
                positions.Add((c, inside));
        }
        Assert.True(positions.Count >= 6);
        foreach (var (c, t) in positions)
        {
            var plus = activations.clone();
            plus[0, c, t] += h;
            var minus = activations.clone();
            minus[0, c, t] -= h;
            var estimate = (Logit(plus) - Logit(minus)) / (2 * h);
            Assert.Equal(estimate, gradients[0, c, t].item<double>(), 1e-6);
        }
    }

    [Fact]
    public void Should_Give_Each_Item_Its_Own_Map_In_A_Batch()
    {
        // Given a trained-ish classifier and five series
        using var leaks = new TensorLeakCheck();
        using var classifier = Seeded.Build(3, RandomClassifier);
        var data = SyntheticData.Create(5, 1, 60, 2, seed: 9);
        var explainer = new Explainer(classifier);

        foreach (var method in MapMethod.BuiltIn)
        {
            // When maps are computed in one batch and one by one
            var options = new ExplainOptions { Method = method, ForceScale = false, Target = MapTarget.Predicted };
            var batched = explainer.Explain(data, [0, 1, 2, 3, 4], options);
            var single = explainer.Explain(data, [0, 1, 2, 3, 4], options with { BatchSize = 1 });

            // Then they agree item by item (tsai averaged the gradients over the batch, giving every item the same weights)
            var scale = batched.Values.ToArray().Max(Math.Abs);
            for (var i = 0; i < batched.Values.Length; i++)
                Assert.True(Math.Abs(batched.Values[i] - single.Values[i]) <= 1e-4 * scale + 1e-7, $"{method.Name} value {i}: {batched.Values[i]} vs {single.Values[i]}");
        }
    }

    [Fact]
    public void Should_Leave_The_Model_As_It_Found_It()
    {
        // Given a classifier in training mode with gradients off
        using var leaks = new TensorLeakCheck();
        using var classifier = RandomClassifier();
        classifier.Model.train();
        using var noGrad = torch.no_grad();

        new Explainer(classifier).Explain(SyntheticData.Create(3, 1, 30, 2, seed: 1), [0, 2]);

        Assert.True(classifier.Model.training);
        Assert.False(torch.is_grad_enabled());
        Assert.All(classifier.Model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Should_Explain_The_Class_Asked_For()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = RandomClassifier();
        var explainer = new Explainer(classifier);
        var data = SyntheticData.Create(4, 1, 30, 2, seed: 1);

        var labelled = explainer.Explain(data, [0, 1, 2, 3]);
        var predicted = explainer.Explain(data, [0, 1, 2, 3], new ExplainOptions { Target = MapTarget.Predicted });
        var classOne = explainer.Explain(data, [0, 1, 2, 3], new ExplainOptions { Target = MapTarget.Class(1) });

        Assert.Equal([0, 1, 0, 1], labelled.ExplainedClasses);
        Assert.Equal(Enumerable.Range(0, 4).Select(predicted.Predicted), predicted.ExplainedClasses);
        Assert.Equal([1, 1, 1, 1], classOne.ExplainedClasses);
        Assert.Equal([0, 1, 0, 1], classOne.Labels!);
    }

    [Fact]
    public void Should_Scale_Each_Map_To_The_Range_And_Keep_Raw_Ranges_Global()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = RandomClassifier();
        var explainer = new Explainer(classifier);
        var data = SyntheticData.Create(3, 1, 30, 2, seed: 1);

        var scaled = explainer.Explain(data, [0, 1, 2], new ExplainOptions { ScaleRange = (0, 2) });
        var raw = explainer.Explain(data, [0, 1, 2], new ExplainOptions { ForceScale = false });

        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(0f, scaled.Map(k).ToArray().Min(), 1e-6);
            Assert.Equal(2f, scaled.Map(k).ToArray().Max(), 1e-6);
        }
        Assert.Equal((0.0, 2.0), (scaled.Low, scaled.High));
        Assert.Equal(raw.Values.ToArray().Min(), raw.Low);
        Assert.Equal(raw.Values.ToArray().Max(), raw.High);
    }

    [Fact]
    public void Should_Put_A_Constant_Map_In_The_Middle_Of_The_Range()
    {
        var map = new float[] { 3, 3, 3 };

        Explainer.ScaleInPlace(map, (0, 1));

        Assert.Equal([0.5f, 0.5f, 0.5f], map);
    }

    [Fact]
    public void Should_Run_A_Users_Map_Function_With_Its_Name()
    {
        // Given a function that maps each series to its own values (the input "explains itself")
        using var leaks = new TensorLeakCheck();
        using var classifier = RandomClassifier();
        var data = new TimeSeriesDataset("D", [1f, 2f, 4f, 8f], 1, 1, 4, ["0"]);
        var identity = MapMethod.FromFunction("identity", request => request.Series[0].data<float>().ToArray());

        var maps = new Explainer(classifier).Explain(data, [0], new ExplainOptions { Method = identity });

        Assert.Equal("identity - mean", maps.Title);
        Assert.Equal([0f, 1 / 7f, 3 / 7f, 1f], maps.Map(0).ToArray());
    }

    [Fact]
    public void Should_Refuse_A_Map_Function_Of_The_Wrong_Length()
    {
        using var classifier = RandomClassifier();
        var data = new TimeSeriesDataset("D", [1f, 2f, 4f, 8f], 1, 1, 4, ["0"]);
        var wrong = MapMethod.FromFunction("short", _ => [1f, 2f]);

        var error = Assert.Throws<InvalidOperationException>(() => new Explainer(classifier).Explain(data, [0], new ExplainOptions { Method = wrong }));

        Assert.Contains("returned 2 values for a series of length 4", error.Message);
    }

    [Fact]
    public void Should_Let_A_Map_Function_Use_Activations_And_Gradients()
    {
        // Given a function that rebuilds the package's Grad-CAM from the request's activations and gradients
        using var leaks = new TensorLeakCheck();
        using var classifier = RandomClassifier();
        var data = SyntheticData.Create(2, 1, 30, 2, seed: 5);
        var rebuilt = MapMethod.FromFunction("rebuilt", request =>
        {
            var (a, g, channels, length) = request.ActivationsAndGradients();
            var weights = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, length).Average(t => g[c * length + t])).ToArray();
            return [.. Enumerable.Range(0, length).Select(t => (float)Enumerable.Range(0, channels).Average(c => weights[c] * a[c * length + t]))];
        });
        var explainer = new Explainer(classifier);

        var expected = explainer.Explain(data, [0, 1], new ExplainOptions { ForceScale = false });
        var actual = explainer.Explain(data, [0, 1], new ExplainOptions { ForceScale = false, Method = rebuilt });

        for (var i = 0; i < expected.Values.Length; i++)
            Assert.Equal(expected.Values[i], actual.Values[i], 1e-6);
    }

    [Theory]
    [InlineData("mean", new[] { 2.5f })]
    [InlineData("median", new[] { 2f })]   // the lower middle of 1 2 3 4, as torch.median
    [InlineData("max", new[] { 4f })]
    [InlineData("mean_max", new[] { 3.25f })]
    public void Should_Reduce_As_The_Reference(string name, float[] expected)
    {
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var values = torch.tensor(new float[] { 4, 1, 3, 2 }, [1, 4]);

        var reduced = MapMethod.Reduce(values, 1, ReductionNames.Parse(name));

        Assert.Equal(expected, reduced.data<float>().ToArray());
        Assert.Equal(name, ReductionNames.Parse(name).Name());
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Reduction()
    {
        var error = Assert.Throws<ArgumentException>(() => ReductionNames.Parse("sum"));

        Assert.Contains("unknown reduction \"sum\"; expected mean, median, max or mean_max", error.Message);
    }

    [Fact]
    public void Should_Stretch_Maps_Of_Layers_Without_A_Time_Axis()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = RandomClassifier();

        var maps = new Explainer(classifier).Explain(SyntheticData.Create(1, 1, 20, 2, seed: 1), [0], new ExplainOptions { Layer = 6, ForceScale = false });

        Assert.Equal(20, maps.Length);
        Assert.All(maps.Map(0).ToArray(), v => Assert.Equal(maps.Map(0)[0], v));
        Assert.Equal("concat pool (max, average)", maps.LayerDescription);
    }

    private static TimeSeriesClassifier RandomClassifier()
    {
        var model = new InceptionTime(1, 2);
        var data = SyntheticData.Create(1, 1, 10, 2, seed: 1);
        return new TimeSeriesClassifier(model, ["0", "1"], Normalizer.Fit(Normalization.None, data), MissingValues.Fail, 30, "Synthetic");
    }
}
