using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Inference;

public sealed class ConcurrentUseTests
{
    [Fact]
    public void Should_Predict_And_Explain_From_Several_Threads_At_Once_As_From_One()
    {
        // Given one classifier, and its probabilities and Grad-CAM maps of GunPoint's test series computed on one thread
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        using var classifier = SmallModels.GunPoint();
        var probabilities = classifier.Predict(test).Probabilities.ToArray();
        int[] items = [0, 1, 2, 3];
        float[] Maps()
        {
            using var loader = classifier.CreateLoader(test);
            return new Explainer(classifier).Explain(loader, items, new ExplainOptions()).Values.ToArray();
        }
        var maps = Maps();

        // When six threads predict and explain with it at the same time, five rounds each (the network as made, in
        // training mode: each call puts it in eval mode and gives the flag back, which raced)
        var differences = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 6).Select(t => new Thread(() =>
        {
            try
            {
                for (var round = 0; round < 5; round++)
                {
                    var (found, expected) = t % 2 == 0 ? (classifier.Predict(test).Probabilities.ToArray(), probabilities) : (Maps(), maps);
                    differences.Add(found.Zip(expected).Max(pair => Math.Abs(pair.First - pair.Second)));
                }
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        // Then every call gives what the single thread gave (each call computes with tensors of its own, the model's
        // flags and kept spectra are the same for all), and none fails
        Assert.Empty(failures);
        Assert.Equal(30, differences.Count);
        Assert.All(differences, difference => Assert.True(difference < 1e-5, $"a result moved by {difference} from the single thread's"));
    }

    [Fact]
    public void Should_Make_A_Prediction_Wait_While_Another_Caller_Computes_With_The_Network()
    {
        // Given a classifier whose network (in training mode, as made) another caller holds in eval mode
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        using var classifier = SmallModels.GunPoint();
        var expected = classifier.Predict(test).Probabilities.ToArray();
        Assert.True(classifier.Model.training);
        float[]? found = null;
        var prediction = new Thread(() => found = classifier.Predict(test).Probabilities.ToArray());
        using (new EvalMode(classifier.Members))
        {
            // When a prediction starts on another thread meanwhile
            prediction.Start();

            // Then it waits for its turn (without the lock it finished within this wait and the test failed), and the
            // network stays in eval mode for the holder
            Assert.False(prediction.Join(TimeSpan.FromSeconds(1)), "the prediction ran while another caller held the network");
            Assert.False(classifier.Model.training);
        }

        // and once the holder is done it runs, with the probabilities one thread alone gives, and the flag is back
        prediction.Join();
        Assert.Equal(expected, found);
        Assert.True(classifier.Model.training);
    }
}
