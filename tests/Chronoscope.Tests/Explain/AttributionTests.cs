using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Explain;

public sealed class AttributionTests
{
    private static readonly double S = 1 / Math.Sqrt(1 + 1e-5); // BatchNorm at its initial statistics, eval mode

    /// <summary>Every new method with settings small enough for a test, and a reference set for those that need one.</summary>
    private static IEnumerable<MapMethod> NewMethods() =>
    [
        MapMethod.Saliency,
        MapMethod.GradientTimesInput,
        MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 8 }),
        MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 8, Baseline = AttributionBaseline.TrainingMean }),
        MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 8, Baseline = AttributionBaseline.Noise }),
        MapMethod.SmoothGrad(new SmoothGradOptions { Samples = 6 }),
        MapMethod.GradientShap(new GradientShapOptions { Samples = 6 }),
        MapMethod.Occlusion(new OcclusionOptions { Window = 6, Stride = 4 }),
        MapMethod.Occlusion(new OcclusionOptions { Window = 6, Stride = 4, PerChannel = false, Fill = OcclusionFill.SeriesMean }),
        MapMethod.Occlusion(new OcclusionOptions { Window = 5, Stride = 5, Fill = OcclusionFill.TrainingMean }),
        MapMethod.Random,
    ];

    [Fact]
    public void Should_Satisfy_Completeness_For_Integrated_Gradients()
    {
        // Given a random full-size network and three series
        using var leaks = new TensorLeakCheck();
        using var classifier = Seeded.Build(5, () => Classifier(channels: 1, length: 60));
        var data = SyntheticData.Create(3, 1, 60, 2, seed: 4);
        var reference = SyntheticData.Create(10, 1, 60, 2, seed: 8);

        foreach (var baseline in Enum.GetValues<AttributionBaseline>())
        {
            // When Integrated Gradients explains them with 128 midpoint steps
            var options = new ExplainOptions
            {
                Method = MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 128, Baseline = baseline }),
                ForceScale = false,
                Reference = reference,
                PassSize = 100,
            };
            var maps = new Explainer(classifier).Explain(data, [0, 1, 2], options);

            // Then each item's attributions sum to logit(x) − logit(baseline) within 1% (+ 1e-3 absolute), the stated tolerance
            Assert.NotNull(maps.Completeness);
            for (var k = 0; k < 3; k++)
            {
                var check = maps.Completeness![k];
                Assert.Equal(maps.Map(k).ToArray().Sum(v => (double)v), check.Sum, 1e-4);
                Assert.True(check.Gap <= 0.01 * Math.Abs(check.Expected) + 1e-3, $"{baseline} item {k}: sum {check.Sum} vs {check.Expected}");
                Assert.True(Math.Abs(check.Expected) > 1e-3, "a degenerate check: logit(x) = logit(baseline)");
            }
        }
    }

    [Fact]
    public void Should_Compute_Saliency_And_Gradient_Times_Input_By_Hand()
    {
        // Given the tiny network and x = 1 3 2 -1: class b's logit = 2·max(c0) + 4·mean(c0) − 8·mean(c1), with
        // c0 = ReLU(x)·s and c1 = ReLU(0.5·maxpool3(x))·s. ∂/∂x: c0's max sends 2s to t=1, its mean s to t = 0, 1, 2;
        // c1's mean sends −s through each pooling window's maximum: t=1 (three windows) and t=2 (one).
        using var leaks = new TensorLeakCheck();
        using var classifier = TinyClassifier();
        var explainer = new Explainer(classifier);
        var raw = new ExplainOptions { ForceScale = false, Target = MapTarget.Class(1) };

        var saliency = explainer.Explain(Tiny([1, 3, 2, -1]), [0], raw with { Method = MapMethod.Saliency });
        var timesInput = explainer.Explain(Tiny([2, -1, 0.5f, 1]), [0], raw with { Method = MapMethod.GradientTimesInput });

        double[] gradient = [S, 2 * S + S - 3 * S, S - S, 0];
        for (var t = 0; t < 4; t++)
            Assert.Equal(Math.Abs(gradient[t]), saliency.Map(0)[t], 1e-5);
        // x = 2 -1 0.5 1: c0's max at t=0 (2s), mean s at t = 0, 2, 3; pool maxima: windows 0,1 → t=0, 2 → t=3, 3 → t=3
        double[] x = [2, -1, 0.5, 1];
        double[] g = [2 * S + S - 2 * S, 0, S, S - 2 * S];
        for (var t = 0; t < 4; t++)
            Assert.Equal(g[t] * x[t], timesInput.Map(0)[t], 1e-5);
        Assert.Equal(1, saliency.Channels);
    }

    [Theory]
    [InlineData(2, 1)] // windows 0, 1, 2
    [InlineData(3, 2)] // windows 0 and 1 (the last flush with the end)
    [InlineData(1, 1)]
    public void Should_Compute_Occlusion_As_The_Hand_Computed_Network(int window, int stride)
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = TinyClassifier();
        float[] x = [1, 3, 2, -1];
        var options = new ExplainOptions
        {
            Method = MapMethod.Occlusion(new OcclusionOptions { Window = window, Stride = stride }),
            ForceScale = false,
            Target = MapTarget.Class(1),
            PassSize = 2, // several passes
        };

        var maps = new Explainer(classifier).Explain(Tiny(x), [0], options);

        // Then each step holds the mean drop of the hand-computed logit over the windows that hide it
        var starts = new List<int>();
        for (var s = 0; s + window <= 4; s += stride)
            starts.Add(s);
        if (starts[^1] + window < 4)
            starts.Add(4 - window);
        for (var t = 0; t < 4; t++)
        {
            var drops = starts.Where(s => s <= t && t < s + window).Select(s =>
            {
                var hidden = (float[])x.Clone();
                Array.Fill(hidden, 0f, s, window);
                return TinyLogit(x) - TinyLogit(hidden);
            }).ToList();
            Assert.Equal(drops.Average(), maps.Map(0)[t], 1e-5);
        }
    }

    [Fact]
    public void Should_Give_Each_Item_The_Same_Attribution_In_A_Batch_As_Alone()
    {
        // Given a random two-channel network, five series and a reference set
        using var leaks = new TensorLeakCheck();
        using var classifier = Seeded.Build(3, () => Classifier(channels: 2, length: 40));
        var data = SyntheticData.Create(5, 2, 40, 2, seed: 9);
        var explainer = new Explainer(classifier);

        foreach (var method in NewMethods())
        {
            // When attributions are computed in one batch (one large pass) and one by one (small passes)
            var options = new ExplainOptions { Method = method, ForceScale = false, Reference = SyntheticData.Create(7, 2, 40, 2, seed: 2), Seed = 4 };
            var batched = explainer.Explain(data, [0, 1, 2, 3, 4], options);
            var single = explainer.Explain(data, [0, 1, 2, 3, 4], options with { BatchSize = 1, PassSize = 3 });

            // Then they agree value by value, with one row per channel except Occlusion over all channels
            var rows = method is { Name: "Occlusion" } && batched.Channels == 1 ? 1 : 2;
            Assert.Equal(rows, batched.Channels);
            Assert.Equal(5 * rows * 40, batched.Values.Length);
            var scale = batched.Values.ToArray().Max(Math.Abs);
            Assert.True(scale > 0, $"{method.Name}: all zero");
            for (var i = 0; i < batched.Values.Length; i++)
                Assert.True(Math.Abs(batched.Values[i] - single.Values[i]) <= 1e-4 * scale + 1e-7, $"{method.Name} value {i}: {batched.Values[i]} vs {single.Values[i]}");
        }
    }

    [Fact]
    public void Should_Leave_The_Model_And_Gradient_Mode_As_It_Found_Them()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = Classifier(channels: 2, length: 30);
        var data = SyntheticData.Create(3, 2, 30, 2, seed: 1);
        foreach (var method in NewMethods())
        {
            foreach (var (training, gradients) in new[] { (true, false), (false, true) })
            {
                classifier.Model.train(training);
                using (torch.enable_grad(gradients))
                {
                    new Explainer(classifier).Explain(data, [0, 2], new ExplainOptions { Method = method, Reference = data });
                    Assert.Equal(gradients, torch.is_grad_enabled());
                }
                Assert.Equal(training, classifier.Model.training);
                Assert.All(classifier.Model.parameters(), p => Assert.Null(p.grad));
            }
        }
    }

    [Fact]
    public void Should_Draw_The_Same_Random_Values_For_The_Same_Seed_Only()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = Classifier(channels: 1, length: 30);
        var data = SyntheticData.Create(2, 1, 30, 2, seed: 1);
        var explainer = new Explainer(classifier);
        var options = new ExplainOptions { Method = MapMethod.Random, ForceScale = false };

        var first = explainer.Explain(data, [0, 1], options).Values.ToArray();
        var again = explainer.Explain(data, [0, 1], options).Values.ToArray();
        var other = explainer.Explain(data, [0, 1], options with { Seed = 1 }).Values.ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.All(first, v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(first.Average(), 0.35, 0.65);
    }

    [Fact]
    public void Should_Refuse_Bad_Settings_With_A_Clear_Message()
    {
        using var classifier = Classifier(channels: 1, length: 30);
        var data = SyntheticData.Create(2, 1, 30, 2, seed: 1);
        var explainer = new Explainer(classifier);

        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 0 }));
        var window = Assert.Throws<ArgumentException>(() => explainer.Explain(data, [0], new ExplainOptions { Method = MapMethod.Occlusion(new OcclusionOptions { Window = 31 }) }));
        var reference = Assert.Throws<ArgumentException>(() => explainer.Explain(data, [0], new ExplainOptions { Method = MapMethod.GradientShap() }));
        var shape = Assert.Throws<ArgumentException>(() => explainer.Explain(data, [0], new ExplainOptions { Method = MapMethod.GradientShap(), Reference = SyntheticData.Create(2, 1, 31, 2, seed: 1) }));

        Assert.Contains("at least 1 step", steps.Message);
        Assert.Contains("window of 31 steps is longer than the series (30 steps)", window.Message);
        Assert.Contains("GradientSHAP needs reference (training) series", reference.Message);
        Assert.Contains("1 channel(s) of 31 steps, the explained data 1 of 30", shape.Message);
    }

    // class b's logit of the tiny network, computed by hand
    private static double TinyLogit(float[] x)
    {
        var n = x.Length;
        var c0 = x.Select(v => Math.Max(v, 0) * S).ToArray();
        var c1 = Enumerable.Range(0, n).Select(t =>
            Math.Max(0.5 * Enumerable.Range(t - 1, 3).Where(i => i >= 0 && i < n).Max(i => x[i]), 0) * S).ToArray();
        return 2 * c0.Max() + 0 * c1.Max() + 4 * c0.Average() - 8 * c1.Average();
    }

    private static TimeSeriesClassifier TinyClassifier()
    {
        var model = new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1, Filters = 1, KernelSizes = [1], BottleneckSize = 0 });
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            parameters["blocks.0.inception.convs.0.weight"].fill_(1.0);
            parameters["blocks.0.inception.pool_conv.weight"].fill_(0.5);
            parameters["head.weight"].copy_(torch.tensor(new float[] { 1, 1, 1, 1, 2, 0, 4, -8 }, [2, 4]));
            parameters["head.bias"].copy_(torch.tensor(new float[] { 0, 0 }));
        }
        var data = new TimeSeriesDataset("Tiny", [0f], 1, 1, 1, ["a"]);
        return new TimeSeriesClassifier(model, ["a", "b"], Normalizer.Fit(Normalization.None, data), MissingValues.Fail, 4, "Tiny");
    }

    private static TimeSeriesDataset Tiny(float[] x) => new("Tiny", x, 1, 1, x.Length, ["b"]);

    private static TimeSeriesClassifier Classifier(int channels, int length)
    {
        var model = new InceptionTime(channels, 2, SmallModels.Shape);
        var data = SyntheticData.Create(1, channels, length, 2, seed: 1);
        return new TimeSeriesClassifier(model, ["0", "1"], Normalizer.Fit(Normalization.None, data), MissingValues.Fail, length, "Synthetic");
    }
}
