using System.Globalization;
using System.Text.RegularExpressions;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Reports;

/// <summary>
/// The report's "How faithful are these maps?" and "Counterfactuals" sections: their numbers against the library's own
/// calls on the same series, their rows against the misclassified series found by a separate prediction.
/// </summary>
public sealed partial class RunReportTrustTests
{
    [Fact]
    public void Should_Show_The_Faithfulness_The_Library_Measures_On_The_Same_Series_Against_The_Random_Control()
    {
        // Given the page's findings over the 150 test series, faithfulness measured on 12 of them
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        using var validation = classifier.CreateLoader(data);
        var options = new RunReportOptions { FaithfulnessSeries = 12, BatchSize = 40 };
        var findings = RunReportFindings.Compute(classifier, validation, options, null, default);

        // When the library measures the same series itself, as the faithfulness command does (maps of the predicted class)
        int[] items = [0, 12, 25, 37, 50, 62, 75, 87, 100, 112, 125, 137]; // ⌊i · 150 / 12⌋
        var explainer = new Explainer(classifier);
        var faithfulness = new Faithfulness(classifier);
        var explain = new ExplainOptions { Target = MapTarget.Predicted, ForceScale = false };
        var curves = new FaithfulnessOptions { Steps = 10, StepFraction = 0.05 }; // the page's grid
        var method = faithfulness.Evaluate(data, explainer.Explain(data, items, explain), curves);
        var control = faithfulness.Evaluate(data, explainer.Explain(data, items, explain with { Method = MapMethod.Random }), curves);

        // Then the section measured those series, and its curves and scores are the library's
        var found = findings.Faithfulness!;
        Assert.Equal(items, found.Items);
        Assert.Equal(method.MostRelevantFirst, found.Method.MostRelevantFirst, Tolerance);
        Assert.Equal(method.LeastRelevantFirst, found.Method.LeastRelevantFirst, Tolerance);
        Assert.Equal(control.MostRelevantFirst, found.Control.MostRelevantFirst, Tolerance);
        Assert.Equal("Random", found.Control.Method);
        Assert.Equal(FaithfulnessScores.Of(method).Ds, found.MethodScores.Ds, 1e-6);
        Assert.Equal(FaithfulnessScores.Of(control).Ds, found.ControlScores.Ds, 1e-6);
        Assert.True(found.TimeOnly);

        // And the page shows those numbers: the DS row, the 10% step (the 2nd of 5% steps) in the sentence and the table
        var html = RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, options);
        var section = Section(html, "faithfulness");
        Assert.Contains($"<tr><td>DS: mean of LeRF − MoRF</td><td class=\"n\">{F(found.MethodScores.Ds)}</td><td class=\"n\">{F(found.ControlScores.Ds)}</td>", section, StringComparison.Ordinal);
        var original = method.Original.Average();
        var morf = method.Mean(method.MostRelevantFirst)[1];
        Assert.Equal(0.10, method.Fractions[1], 1e-12);
        Assert.Contains($"<tr><td>probability, top 10% replaced (MoRF)</td><td class=\"n\">{F(morf)}</td><td class=\"n\">{F(control.Mean(control.MostRelevantFirst)[1])}</td>", section, StringComparison.Ordinal);
        Assert.Contains($"Replacing the 10% of the time steps that the GRAD-CAM - mean map ranks highest changes the probability of the predicted class from {F(original)} to {F(morf)} on average", section, StringComparison.Ordinal);
        Assert.Contains("Measured on 12 of the 150 validation series, evenly spaced through the set", section, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(section, "<svg "));
    }

    [Fact]
    public void Should_Spread_The_Measured_Series_Evenly_And_Leave_The_Measurement_Out_At_Zero()
    {
        Assert.Equal([0, 37, 75, 112], FaithfulnessFinding.EvenlySpaced(150, 4));
        Assert.Equal([0, 1, 2], FaithfulnessFinding.EvenlySpaced(3, 16));
        Assert.Empty(FaithfulnessFinding.EvenlySpaced(150, 0));

        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff).Subset([.. Enumerable.Range(0, 20)]));
        var html = RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, new RunReportOptions { FaithfulnessSeries = 0, MaxCounterfactuals = 0 });
        Assert.Contains("<p>Not measured for this report.</p>", Section(html, "faithfulness"), StringComparison.Ordinal);
        Assert.Empty(Regex.Matches(Section(html, "faithfulness"), "<svg "));
    }

    [Fact]
    public void Should_Seek_A_Counterfactual_Toward_The_True_Class_For_Exactly_The_Misclassified_Series()
    {
        // Given the findings over the test series with the training series at hand, at most 6 counterfactuals
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        var training = DatasetReader.Read(TestData.GunPointTrainArff);
        using var validation = classifier.CreateLoader(data);
        var options = new RunReportOptions { MaxCounterfactuals = 6, FaithfulnessSeries = 0, Training = training };
        var findings = RunReportFindings.Compute(classifier, validation, options, null, default);

        // When the misclassified series are found by a separate prediction, lowest probability of the true class first
        var predictions = classifier.Predict(validation);
        var labels = predictions.Targets!;
        var wrong = Enumerable.Range(0, data.Count).Where(i => predictions.Predicted[i] != labels[i])
            .OrderBy(i => predictions.Probability(i, labels[i])).ThenBy(i => i).ToList();
        Assert.InRange(wrong.Count, 7, 149); // more than the limit: the section is cut

        // Then the section's rows are the first 6 of them, each aimed at its true class
        var found = findings.Counterfactuals!;
        var results = found.Results!;
        Assert.Equal(wrong.Take(6), found.Series.Select(s => s.Index));
        Assert.Equal(wrong.Take(6), results.Items.Select(c => c.Item));
        Assert.Equal(wrong.Take(6).Select(i => labels[i]), results.Items.Select(c => c.Target));
        Assert.Equal(wrong.Take(6).Select(i => predictions.Predicted[i]), results.Items.Select(c => c.Predicted));
        // and each is what the library finds for that series alone, with the page's options (second path: one call per series)
        var search = new CounterfactualOptions { Map = new ExplainOptions { Target = MapTarget.Predicted }, WindowStep = 3 }; // 2% of 150 steps
        foreach (var (row, k) in results.Items.Select((c, k) => (c, k)))
        {
            var alone = Counterfactuals.Explain(classifier, training, data, [row.Item], search with { Target = row.Target }).Items[0];
            Assert.Equal(alone.Outcome, row.Outcome);
            Assert.Equal(alone.Neighbour, row.Neighbour);
            Assert.Equal((alone.WindowStart, alone.WindowLength), (row.WindowStart, row.WindowLength));
            Assert.Equal(alone.ProbabilitiesBefore, row.ProbabilitiesBefore, new FloatTolerance(1e-5f));
            Assert.Equal(found.Series[k].Label!.Value, row.Target);
        }

        // And the page has a card per row, in order, next to the map of the true class, and says the list was cut
        var html = RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, options);
        var section = Section(html, "counterfactuals");
        Assert.Equal(wrong.Take(6).Select(i => i.ToString(CultureInfo.InvariantCulture)), CounterfactualCard().Matches(section).Select(m => m.Groups[1].Value));
        Assert.Equal(2 * 6, Regex.Matches(section, "<svg ").Count);
        Assert.Contains($"Sought for the 6 of {wrong.Count} misclassified series with the lowest probability for their true class; found for {results.FoundCount}.", section, StringComparison.Ordinal);
        // and the misclassified section's cards link to them
        Assert.Contains($"<a href=\"#counterfactual-{wrong[0]}\">", Section(html, "misclassified"), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Say_In_One_Line_When_There_Is_Nothing_To_Turn_Around_Or_Nothing_To_Borrow_From()
    {
        // Given only the series the model classifies right, the same with the wrong ones, and unlabelled series
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        var training = DatasetReader.Read(TestData.GunPointTrainArff);
        Predictions predictions;
        using (var all = classifier.CreateLoader(data))
            predictions = classifier.Predict(all);
        var right = Enumerable.Range(0, data.Count).Where(i => predictions.Predicted[i] == predictions.Targets![i]).ToList();
        using var correct = classifier.CreateLoader(data.Subset(right));
        using var everything = classifier.CreateLoader(data);
        using var unlabelled = classifier.CreateLoader(new TimeSeriesDataset("GunPoint", data.Values.ToArray(), data.Count, data.Channels, data.Length, null));
        var options = new RunReportOptions { FaithfulnessSeries = 0, Training = training };

        // When the pages are built
        string Counterfactuals(DataLoader validation, RunReportOptions o) => Section(RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, o), "counterfactuals");

        // Then each says why there is no counterfactual, in one line and without pictures
        Assert.EndsWith("<h2>Counterfactuals</h2>\n<p>None needed: no validation series was misclassified.</p>\n", Counterfactuals(correct, options), StringComparison.Ordinal);
        var wrong = data.Count - right.Count;
        Assert.EndsWith($"<h2>Counterfactuals</h2>\n<p>No counterfactuals for the {wrong} misclassified series: no training series were given to search for neighbours in.</p>\n",
            Counterfactuals(everything, options with { Training = null }), StringComparison.Ordinal);
        Assert.EndsWith("<p>The validation data has no labels: nothing is known to be misclassified, so there is nothing to turn around.</p>\n", Counterfactuals(unlabelled, options), StringComparison.Ordinal);
        Assert.EndsWith("<p>Not sought for this report.</p>\n", Counterfactuals(everything, options with { MaxCounterfactuals = 0 }), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Training_Series_That_Do_Not_Fit_The_Model_Before_Any_Work()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff));
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        var shorter = new TimeSeriesDataset("GunPoint", new float[50 * 100], 50, 1, 100, [.. train.Labels!]);
        var unlabelled = new TimeSeriesDataset("GunPoint", train.Values.ToArray(), train.Count, 1, train.Length, null);

        foreach (var training in new[] { shorter, unlabelled })
        {
            var error = Assert.Throws<ArgumentException>(() => RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, new RunReportOptions { Training = training }));
            Assert.Contains("pass the model's own training data", error.Message, StringComparison.Ordinal);
        }
        Assert.Contains("found faithfulness -1", Assert.Throws<ArgumentException>(() =>
            RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, new RunReportOptions { FaithfulnessSeries = -1 })).Message, StringComparison.Ordinal);
    }

    private static readonly DoubleTolerance Tolerance = new(1e-6);

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The text of the section with id <paramref name="id"/>, up to its closing tag.</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {id}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }

    [GeneratedRegex("<div class=\"card\" id=\"counterfactual-(\\d+)\">")]
    private static partial Regex CounterfactualCard();
}
