using Chronoscope.Data;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Training;

public sealed class WeightAveragingTests
{
    /// <summary>Copies every parameter after each training step of the second half of the fit.</summary>
    private sealed class WeightRecorder : Callback
    {
        public List<float[]> Snapshots { get; } = [];

        public override int Order => 50;

        public override void AfterTrainBatch(TrainingContext context)
        {
            if (context.Position > 0.5)
                Snapshots.Add(Flatten(context.Learner.Model));
        }
    }

    private static float[] Flatten(InceptionTime model)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return [.. model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];
    }

    [Fact]
    public void Should_End_With_The_Mean_Of_The_Weights_After_Each_Averaged_Step()
    {
        // Given a tiny network trained 6 epochs of 2 steps, averaging from half-way, and a recorder of the weights
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 24, 2, seed: 3), SyntheticData.Create(8, 1, 24, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = new InceptionTimeOptions { Depth = 1, Filters = 16 } });
        using var averaging = new WeightAveraging(0.5);
        var recorder = new WeightRecorder();

        // When it trains
        var fit = learner.FitOneCycle(6, 3e-3, callbacks: [averaging, recorder]);

        // Then the 6 steps after the half-way point were averaged, and the network holds their mean
        Assert.Equal(6, averaging.AveragedSteps);
        Assert.Equal(6, recorder.Snapshots.Count);
        var final = Flatten(learner.Model);
        for (var i = 0; i < final.Length; i++)
        {
            var mean = recorder.Snapshots.Average(s => (double)s[i]);
            Assert.True(Math.Abs(final[i] - mean) <= 1e-5 + 1e-5 * Math.Abs(mean), $"parameter {i}: {final[i]} vs mean {mean}");
        }
        Assert.Contains(fit.Notes, n => n.Contains("average of the last 6 steps", StringComparison.Ordinal));
        // and the last validation measured the averaged network: predicting again gives the same accuracy
        Assert.Equal(fit.Last!["accuracy"], learner.Predict(data.Valid).Accuracy);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Should_Refuse_A_Start_Outside_The_Fit(double start) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightAveraging(start));
}
