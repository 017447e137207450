using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Training;

/// <summary>
/// Series whose scales span orders of magnitude: left to the data, each is scaled on its own; given a normalization that
/// does not, the fit says so.
/// </summary>
public sealed class ScaleSpreadCheckTests
{
    private const int Count = 20;
    private const int Length = 32;

    /// <summary>
    /// Series i of channel c is amplitude(c, i) · sin(2π k t / 32) over whole periods (k = 1 or 2 by class), so its
    /// standard deviation is amplitude / √2.
    /// </summary>
    private static TimeSeriesDataset Sines(int channels, Func<int, int, double> amplitude)
    {
        var values = new float[Count * channels * Length];
        var labels = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            labels[i] = i % 2 == 0 ? "a" : "b";
            for (var c = 0; c < channels; c++)
            {
                for (var t = 0; t < Length; t++)
                    values[(i * channels + c) * Length + t] = (float)(amplitude(c, i) * Math.Sin(2 * Math.PI * (1 + i % 2) * t / Length));
            }
        }
        return new TimeSeriesDataset("sines", values, Count, channels, Length, labels);
    }

    /// <summary>Amplitudes from 1e-4 to 1e2, evenly spaced in logarithm over the 20 series.</summary>
    private static double Wide(int i) => Math.Pow(10, -4 + 6.0 * i / (Count - 1));

    private static IReadOnlyList<string> FitNotes(TimeSeriesDataset train, Normalization? normalization = Normalization.None)
    {
        using var data = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 10, Normalization = normalization, VariableLengths = VariableLengths.Resample });
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });
        return learner.FitOneCycle(1, 1e-3).Notes;
    }

    [Fact]
    public void Should_Note_Deviations_Six_Orders_Apart_With_Their_Percentiles()
    {
        using var leaks = new TensorLeakCheck();
        // Given 20 series whose deviations run from 1e-4/√2 to 1e2/√2
        var train = Sines(1, (_, i) => Wide(i));

        // When a model is fitted on them as read
        var notes = FitNotes(train);

        // Then the note gives the 5th and 95th percentiles by nearest rank (series 1 and 18 of 20) and their distance
        // in orders of magnitude: 17/19 of 6
        var low = Wide(1) / Math.Sqrt(2);
        var high = Wide(18) / Math.Sqrt(2);
        var note = Assert.Single(notes, n => n.Contains("orders of magnitude", StringComparison.Ordinal));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"span {6.0 * 17 / 19:0.#} orders of magnitude ({low:G3} at the 5th percentile, {high:G3} at the 95th)"), note, StringComparison.Ordinal);
        Assert.Contains("--normalize per-sample", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Name_The_Channel_Whose_Deviations_Are_Furthest_Apart()
    {
        using var leaks = new TensorLeakCheck();
        // Given two channels, the first of similar scales, the second spread over six orders
        var train = Sines(2, (c, i) => c == 0 ? 1 + 0.1 * i : Wide(i));

        var notes = FitNotes(train);

        Assert.Contains(notes, n => n.Contains("standard deviations of channel 1 span 5.4 orders", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(900, false)]
    [InlineData(1100, true)]
    public void Should_Note_From_Three_Orders_Of_Magnitude_Between_The_Percentiles(double ratio, bool noted)
    {
        using var leaks = new TensorLeakCheck();
        // Given amplitudes ratio^((i - 1) / 17): series 1 and 18, the 5th and 95th percentiles, exactly `ratio` apart
        // (BasicMotions' are 88 apart, PLAID's 7e5)
        var train = Sines(1, (_, i) => Math.Pow(ratio, (i - 1) / 17.0));

        var notes = FitNotes(train);

        Assert.Equal(noted, notes.Any(n => n.Contains("orders of magnitude", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(900, Normalization.None, "span less than 3 orders of magnitude (1 to 900, 5th to 95th percentile)")]
    [InlineData(1100, Normalization.PerSample, "span 3 orders of magnitude (1 at the 5th percentile, 1.1E+03 at the 95th)")]
    public void Should_Scale_Each_Series_On_Its_Own_When_Left_To_The_Data_From_Three_Orders_Of_Magnitude(double ratio, Normalization chosen, string reason)
    {
        // Given series whose 5th and 95th percentile deviations are `ratio` apart (times 1/√2 each)
        var train = Sines(1, (_, i) => Math.Sqrt(2) * Math.Pow(ratio, (i - 1) / 17.0));

        // When the normalization is left to the data
        using var data = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 10, Normalization = null });

        // Then it scales each series on its own from 1,000 apart, and says why
        Assert.Equal(chosen, data.Normalizer.Kind);
        Assert.Equal($"the training series' standard deviations {reason}", data.NormalizationReason);
    }

    [Theory]
    [InlineData(1e5, Normalization.None)]
    [InlineData(1e7, Normalization.PerChannel)]
    [InlineData(1e-7, Normalization.PerChannel)]
    public void Should_Scale_Alike_Series_Far_From_Unit_Deviation_When_Left_To_The_Data(double amplitude, Normalization chosen)
    {
        // Given series of one scale (alike: no spread, not near copies: two shapes), their deviation amplitude/√2
        var train = Sines(1, (_, _) => amplitude);

        using var data = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 10, Normalization = null });

        // Then values far from a deviation of 1 (beyond a million either way) are scaled per channel, saying why
        Assert.Equal(chosen, data.Normalizer.Kind);
        if (chosen == Normalization.PerChannel)
            Assert.StartsWith(FormattableString.Invariant($"the training series' standard deviations are alike but far from 1 (median {amplitude / Math.Sqrt(2):G3}"), data.NormalizationReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Keep_The_Values_As_Read_When_Left_To_The_Data_And_No_Series_Varies_Against_Another()
    {
        // Given series of one value each (no deviation to compare)
        var train = new TimeSeriesDataset("flat", [.. Enumerable.Range(0, 4 * 8).Select(i => (float)(i / 8))], 4, 1, 8, ["a", "b", "a", "b"]);

        using var data = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 2, Normalization = null });

        Assert.Equal(Normalization.None, data.Normalizer.Kind);
        Assert.Equal("fewer than two training series vary, so their scales cannot be compared", data.NormalizationReason);
    }

    [Fact]
    public void Should_Not_Note_What_It_Chose_Itself_Nor_Give_A_Reason_For_A_Normalization_Given()
    {
        using var leaks = new TensorLeakCheck();
        var train = Sines(1, (_, i) => Wide(i));

        Assert.DoesNotContain(FitNotes(train, normalization: null), n => n.Contains("orders of magnitude", StringComparison.Ordinal));
        using var given = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 10, Normalization = Normalization.MinMax });
        Assert.Null(given.NormalizationReason);
        Assert.Equal(Normalization.MinMax, given.Normalizer.Kind);
    }

    [Fact]
    public void Should_Not_Second_Guess_A_Choice_Made_On_The_Series_As_Read_After_Resampling_Changed_Their_Scales()
    {
        using var leaks = new TensorLeakCheck();
        // Given 20 series alternating ±a (deviation a), a = 900^((i - 1) / 17): as read 1 to 900 apart at the 5th and
        // 95th percentiles; the quieter ten last 10 steps, the louder 200. Resampled to 200 steps, a quiet one is a
        // triangle wave of deviation a/√3, so the spread the fit sees becomes about 1,560.
        const int count = 20, longest = 200;
        var values = new float[count * longest];
        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            lengths[i] = i < 10 ? 10 : longest;
            var amplitude = Math.Pow(900, (i - 1) / 17.0);
            for (var t = 0; t < lengths[i]; t++)
                values[i * longest + t] = (float)(t % 2 == 0 ? amplitude : -amplitude);
        }
        var train = new TimeSeriesDataset("alternating", values, count, 1, longest, [.. Enumerable.Range(0, count).Select(i => i % 2 == 0 ? "a" : "b")], lengths: lengths);

        // When the normalization is left to the data, and when values as read are asked for
        var chosen = FitNotes(train, normalization: null);
        var asked = FitNotes(train, Normalization.None);

        // Then the choice made on the series as read (values as read) stands unremarked; asked for, the fit notes the spread
        Assert.DoesNotContain(chosen, n => n.Contains("orders of magnitude", StringComparison.Ordinal));
        Assert.Contains(asked, n => n.Contains("span 3.2 orders of magnitude", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Keep_Quiet_When_Each_Series_Is_Scaled_On_Its_Own()
    {
        using var leaks = new TensorLeakCheck();
        var train = Sines(1, (_, i) => Wide(i));

        var notes = FitNotes(train, Normalization.PerSample);

        Assert.DoesNotContain(notes, n => n.Contains("orders of magnitude", StringComparison.Ordinal));
    }
}
