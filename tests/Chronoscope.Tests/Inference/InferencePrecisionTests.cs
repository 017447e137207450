using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Tests.Inference;

public sealed class InferencePrecisionTests
{
    [Fact]
    public void Should_Predict_In_BFloat16_Close_To_Float32_And_Give_The_Network_Back_In_Float32()
    {
        // Given a briefly trained classifier and its float32 probabilities
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(64, 1, 40, 2, seed: 3), SyntheticData.Create(48, 1, 40, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Seed = 7, Precision = TrainingPrecision.Float32 });
        learner.FitOneCycle(3, 3e-3);
        var classifier = learner.Classifier;
        var exact = classifier.Predict(data.Valid);

        // When it predicts the same series in bfloat16
        classifier.Precision = InferencePrecision.BFloat16;
        var low = classifier.Predict(data.Valid);

        // Then every probability moves by bfloat16's rounding only (within 0.02, and not all equal: bfloat16 ran), and
        // every series whose float32 class is not a near tie keeps it
        var largest = 0.0;
        for (var i = 0; i < exact.Count; i++)
        {
            for (var k = 0; k < 2; k++)
                largest = Math.Max(largest, Math.Abs(exact.Probability(i, k) - low.Probability(i, k)));
            if (Math.Abs(exact.Probability(i, 0) - 0.5) > 0.05)
                Assert.Equal(exact.PredictedClass(i), low.PredictedClass(i));
        }
        Assert.InRange(largest, 1e-7, 0.02);
        // and the network computes in float32 again: float32 predictions after it are the first ones, bit for bit
        Assert.Equal(torch.ScalarType.Float32, classifier.Model.ConvolutionType);
        classifier.Precision = InferencePrecision.Float32;
        var again = classifier.Predict(data.Valid);
        for (var i = 0; i < exact.Count; i++)
            Assert.Equal(exact.Probability(i, 1), again.Probability(i, 1));
    }
}
