using Chronoscope.Inference;

namespace Chronoscope.Tests.Inference;

/// <summary>
/// Series on which the network's output is not finite have no predicted class: the counts and metrics of
/// <see cref="Predictions"/> count them as no class and as wrong, against hand-computed values.
/// </summary>
public sealed class NonFinitePredictionsTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    /// <summary>Six series; items 1 and 4 have NaN probabilities (their argmax would be class a).</summary>
    private static Predictions Sample(bool labelled = true) => new(Classes,
    [
        0.7f, 0.2f, 0.1f,                // 0: a, actual a (right)
        float.NaN, float.NaN, float.NaN, // 1: none, actual b
        0.1f, 0.8f, 0.1f,                // 2: b, actual b (right)
        0.2f, 0.3f, 0.5f,                // 3: c, actual a (wrong)
        float.NaN, 0.5f, 0.5f,           // 4: none, actual a
        0.1f, 0.1f, 0.8f,                // 5: c, actual c (right)
    ], labelled ? [0, 1, 1, 0, 0, 2] : null);

    [Fact]
    public void Predicted_Counts_Should_Leave_Out_Series_Without_A_Finite_Output()
    {
        var predictions = Sample();

        Assert.Equal([1, 4], predictions.NonFinite);
        Assert.Equal([1, 1, 2], predictions.PredictedCounts());
        Assert.Equal([1, 1, 2], Sample(labelled: false).PredictedCounts());
        Assert.Equal([true, false, true, true, false, true], Enumerable.Range(0, 6).Select(predictions.HasPrediction));
    }

    [Fact]
    public void Accuracy_Should_Count_Them_As_Wrong()
    {
        var predictions = Sample();

        // 3 right (items 0, 2, 5) of 6; item 4 is actual a, which its NaN argmax would have made right.
        Assert.Equal(3, predictions.Correct);
        Assert.Equal(0.5, predictions.Accuracy);
        Assert.Null(Sample(labelled: false).Correct);
        Assert.Null(Sample(labelled: false).Accuracy);
    }

    [Fact]
    public void Confusion_Should_Hold_Them_In_No_Cell_And_Every_Metric_Should_Count_Them_As_Wrong()
    {
        var confusion = Sample().Confusion()!;

        Assert.Equal([[1L, 0, 1], [0L, 1, 0], [0L, 0, 1]], confusion.ToRows());
        Assert.Equal((6L, 2L), (confusion.Total, confusion.Unpredicted));
        Assert.Equal([1L, 1, 0], Enumerable.Range(0, 3).Select(confusion.UnpredictedCount));
        Assert.Equal([3L, 2, 1], Enumerable.Range(0, 3).Select(confusion.ActualCount));
        Assert.Equal([1L, 1, 2], Enumerable.Range(0, 3).Select(confusion.PredictedCount));
        Assert.Equal(0.5, confusion.Accuracy, 12);
        Assert.Equal(0.5, confusion.ErrorRate, 12);
        // recalls a 1/3, b 1/2, c 1/1
        Assert.Equal((1.0 / 3 + 1.0 / 2 + 1) / 3, confusion.BalancedAccuracy, 12);
        // F1 = 2 TP / (actual + predicted): a 2/(3+1), b 2/(2+1), c 2/(1+2)
        Assert.Equal((2.0 / 4 + 2.0 / 3 + 2.0 / 3) / 3, confusion.MacroF1, 12);
        Assert.Equal([("a", "c", 1L)], confusion.MostConfused());
    }

    [Fact]
    public void Concatenated_Predictions_Should_Keep_Them_Apart()
    {
        var one = Sample();
        var both = Predictions.Concatenate([one, one]);

        Assert.Equal([1, 4, 7, 10], both.NonFinite);
        Assert.Equal([2, 2, 4], both.PredictedCounts());
        Assert.Equal(6, both.Correct);
        Assert.Equal(4L, both.Confusion()!.Unpredicted);
    }
}
