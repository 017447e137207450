using Chronoscope.Data;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Tests.Training;

/// <summary>A fit that ends with its training loss far above the loss's floor says that more training may pay.</summary>
public sealed class UnderfitCheckTests
{
    [Theory]
    [InlineData(2, 0.1, 0.19851524)]  // 0.95 / 0.05: −0.95 ln 0.95 − 0.05 ln 0.05
    [InlineData(5, 0.1, 0.38967292)]  // 0.92 / 4 × 0.02 (Beef)
    [InlineData(10, 0.1, 0.50028804)] // 0.91 / 9 × 0.01 (ACSF1)
    [InlineData(10, 0.0, 0.0)]        // cross-entropy: a certain prediction
    [InlineData(1, 0.1, 0.0)]         // one class: nothing to smooth over
    public void Should_Give_The_Entropy_Of_The_Smoothed_Target_As_The_Floor(int classes, double smoothing, double floor) =>
        Assert.Equal(floor, UnderfitCheck.LossFloor(classes, smoothing), 1e-7);

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void Should_Be_The_Loss_Of_A_Prediction_Equal_To_The_Smoothed_Target(int classes)
    {
        // Given logits whose softmax is the smoothed target of class 0: 1 − ε + ε/K, then ε/K for each other class
        var target = Enumerable.Range(0, classes).Select(k => (k == 0 ? 0.9 : 0) + 0.1 / classes).ToArray();
        using var logits = torch.tensor(target.Select(p => Math.Log(p)).ToArray(), torch.ScalarType.Float64).unsqueeze(0); // (1, K)
        using var label = torch.tensor(new long[] { 0 });

        // When libtorch's label-smoothing cross-entropy (the loss the learner trains with) scores it
        using var loss = torch.nn.functional.cross_entropy(logits, label, label_smoothing: 0.1);

        // Then it is the floor: no prediction scores lower
        Assert.Equal(UnderfitCheck.LossFloor(classes, 0.1), loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Should_Say_So_When_A_Short_Fit_Ends_Far_Above_The_Floor_And_Not_When_A_Longer_One_Reaches_It()
    {
        using var leaks = new TensorLeakCheck();
        // Given two classes of noisy sines that a small network separates, trained one epoch, then forty
        var train = SyntheticData.Create(32, 1, 48, 2, seed: 3);
        using var data = DataLoaders.FromDatasets(train, SyntheticData.Create(8, 1, 48, 2, seed: 4), new DataLoadersOptions { BatchSize = 8 });
        using var shortLearner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Shape, Seed = 1 });
        using var longLearner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Shape, Seed = 1 });

        var shortFit = shortLearner.FitOneCycle(1, 1e-3);
        var longFit = longLearner.FitOneCycle(40, 1e-2);

        // Then the note names the final loss and its distance from label smoothing's floor for two classes (0.199)
        var shortLoss = shortFit.Epochs[^1].TrainLoss;
        Assert.True(shortLoss - 0.1985 > UnderfitCheck.Margin, $"one epoch ended at {shortLoss}");
        var note = Assert.Single(shortFit.Notes, n => n.StartsWith("the training loss ended at", StringComparison.Ordinal));
        Assert.StartsWith(FormattableString.Invariant($"the training loss ended at {shortLoss:0.00}, {shortLoss - 0.1985:0.00} above label smoothing's floor of 0.20 for 2 classes"), note, StringComparison.Ordinal);
        var longLoss = longFit.Epochs[^1].TrainLoss; // 0.224 on the project's machine
        Assert.True(longLoss - 0.1985 <= UnderfitCheck.Margin, $"forty epochs ended at {longLoss}");
        Assert.DoesNotContain(longFit.Notes, n => n.StartsWith("the training loss ended at", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Measure_Cross_Entropy_From_Zero()
    {
        using var leaks = new TensorLeakCheck();
        // Given the small fit above with cross-entropy, one epoch
        var train = SyntheticData.Create(32, 1, 48, 2, seed: 3);
        using var data = DataLoaders.FromDatasets(train, SyntheticData.Create(8, 1, 48, 2, seed: 4), new DataLoadersOptions { BatchSize = 8 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Shape, Seed = 1, Loss = LossKind.CrossEntropy });

        var fit = learner.FitOneCycle(1, 1e-3);

        // Then the note measures the loss from 0
        var loss = fit.Epochs[^1].TrainLoss;
        Assert.True(loss > UnderfitCheck.Margin, $"one epoch ended at {loss}");
        Assert.Contains(fit.Notes, n => n.StartsWith(FormattableString.Invariant($"the training loss ended at {loss:0.00}, {loss:0.00} above 0, cross-entropy's floor:"), StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Not_Say_So_When_The_Fit_Was_Stopped_Before_Its_End()
    {
        using var leaks = new TensorLeakCheck();
        // Given the small fit above, with a metric for early stopping
        var train = SyntheticData.Create(32, 1, 24, 2, seed: 3);
        using var data = DataLoaders.FromDatasets(train, SyntheticData.Create(8, 1, 24, 2, seed: 4), new DataLoadersOptions { BatchSize = 8 });
        var constant = new Metric("constant", _ => 1.0);
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny, Seed = 1, Metrics = [constant] });

        // When early stopping ends a fit of 10 epochs early (a metric that never changes, patience 1)
        var fit = learner.FitOneCycle(10, 1e-3, callbacks: [new EarlyStopping(new MetricMonitor("constant"), patience: 1)]);

        // Then it ended far above the floor, and says nothing of it: the fit did not end where its budget did
        Assert.NotNull(fit.StopReason);
        Assert.True(fit.Epochs[^1].TrainLoss - UnderfitCheck.LossFloor(2, 0.1) > UnderfitCheck.Margin);
        Assert.DoesNotContain(fit.Notes, n => n.StartsWith("the training loss ended at", StringComparison.Ordinal));
    }
}
