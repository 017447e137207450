using System.Text.RegularExpressions;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Reports;

/// <summary>The run report's HTML, from a small untrained GunPoint classifier over the 150 test series and a record made by hand.</summary>
public sealed partial class RunReportPageTests
{
    [Fact]
    public void Should_Write_The_Sections_In_Order_Each_With_Its_Pictures()
    {
        // Given the run record, a classifier and its validation loader
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff));

        // When the page is built
        var html = RunReportPage.Build(RunRecordTests.Sample(), classifier, validation);

        // Then the eleven sections come in order, with their ids, and the contents list links to each
        Assert.Equal(RunReportPage.SectionIds, SectionId().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Equal(["dataset", "settings", "epochs", "curves", "confusion", "class-maps", "faithfulness", "misclassified", "counterfactuals", "gallery", "notes"], RunReportPage.SectionIds);
        Assert.All(RunReportPage.SectionIds, id => Assert.Contains($"<a href=\"#{id}\">", html, StringComparison.Ordinal));
        // the pictures are where they belong: loss and schedule, the confusion matrix, one mean map per class,
        // the faithfulness curves, two maps per misclassified series (at most 8), none for counterfactuals (no training
        // series were given), one per gallery series (at most 3 per class)
        var predictions = classifier.Predict(validation); // a second path to what was misclassified
        var wrong = Enumerable.Range(0, predictions.Count).Count(i => predictions.Predicted[i] != predictions.Targets![i]);
        var rightPerClass = Enumerable.Range(0, 2).Select(c => Enumerable.Range(0, predictions.Count).Count(i => predictions.Targets![i] == c && predictions.Predicted[i] == c));
        Assert.InRange(wrong, 1, 149); // an untrained model: the sections below have something to show
        Assert.Equal(2, PictureCount(html, "curves"));
        Assert.Equal(1, PictureCount(html, "confusion"));
        Assert.Equal(2, PictureCount(html, "class-maps"));
        Assert.Equal(1, PictureCount(html, "faithfulness"));
        Assert.Equal(2 * Math.Min(8, wrong), PictureCount(html, "misclassified"));
        Assert.Equal(0, PictureCount(html, "counterfactuals"));
        Assert.Equal(rightPerClass.Sum(r => Math.Min(3, r)), PictureCount(html, "gallery"));
        Assert.Contains($"{wrong} of 150 validation series were misclassified", html, StringComparison.Ordinal);
        // every row of the epoch table, with its time as fastai prints it
        Assert.Contains("<td class=\"n\">0</td><td class=\"n\">0.690000</td><td class=\"n\">0.680000</td><td class=\"n\">0.500000</td><td class=\"n\">00:01</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Be_Self_Contained_With_Scalable_Pictures_Whose_Ids_Do_Not_Clash()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff));

        var html = RunReportPage.Build(RunRecordTests.Sample(), classifier, validation);

        // No script, no external style sheet, font, image or link: every reference is inside the page
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", html, StringComparison.Ordinal);
        Assert.All(Reference().Matches(html), m => Assert.Matches("^(#|data:)", m.Groups[1].Value));
        // every picture scales: a viewBox, the container's width, no fixed height
        var svgs = SvgTag().Matches(html).Select(m => m.Value).ToArray();
        Assert.NotEmpty(svgs);
        Assert.All(svgs, svg =>
        {
            Assert.Matches("viewBox=\"0 0 \\d+ \\d+\"", svg);
            Assert.Contains("width=\"100%\"", svg, StringComparison.Ordinal);
            Assert.DoesNotContain(" height=", svg, StringComparison.Ordinal);
            Assert.Contains("role=\"img\"", svg, StringComparison.Ordinal);
        });
        // each id once, and each url(#...) or href="#..." points at an id of the page
        var ids = IdAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var targets = UrlReference().Matches(html).Select(m => m.Groups[1].Value)
            .Concat(Reference().Matches(html).Select(m => m.Groups[1].Value).Where(r => r.StartsWith('#')).Select(r => r[1..]));
        Assert.All(targets, target => Assert.Contains(target, ids));
        // and no glyph position list ends with a separator (browsers reject those with a console error)
        Assert.DoesNotMatch(" [xy]=\"[^\"]*,\\s*\"", html);
    }

    [Fact]
    public void Should_Escape_Every_Name_That_Comes_From_Outside()
    {
        // Given a class named <b>&"x, a dataset named <i>Gun</i> and a note with markup
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff));
        var run = RunRecordTests.Sample() with { Dataset = RunRecordTests.Sample().Dataset with { Name = "<i>Gun</i>" }, Notes = ["a <note> & 'quote'"] };
        var options = new RunReportOptions { ClassNames = ClassNames.ByIndex(["<b>&\"x", "Point"]) };

        // When the page is built
        var html = RunReportPage.Build(run, classifier, validation, options);

        // Then the names appear escaped, in text and in the pictures' text, and never as markup
        Assert.DoesNotContain("<b>&", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>Gun", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<note>", html, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;i&gt;Gun&lt;/i&gt; - Chronoscope run report</title>", html, StringComparison.Ordinal);
        Assert.Contains("1 (&lt;b&gt;&amp;&quot;x)", html, StringComparison.Ordinal);         // the dataset's class list
        Assert.Contains("[&lt;b&gt;&amp;\"x] - ", html, StringComparison.Ordinal);             // an SVG title (quotes need no escape in text)
        Assert.Contains("<li>a &lt;note&gt; &amp; &#39;quote&#39;</li>", html, StringComparison.Ordinal);
        Assert.Equal("&lt;b&gt;&amp;&quot;x&#39;", RunReportPage.Escape("<b>&\"x'"));
    }

    [Fact]
    public void Should_Give_A_Series_Whose_Output_Is_Not_Finite_No_Class_And_Show_It_Nowhere()
    {
        // Given GunPoint's first 20 test series, the first of them overflowing the network (its output not finite)
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff).Subset([.. Enumerable.Range(0, 20)]);
        var values = data.Values.ToArray();
        Array.Fill(values, 3e38f, 0, data.Length);
        var overflowing = new TimeSeriesDataset("overflow", values, data.Count, 1, data.Length, [.. data.Labels!]);
        using var validation = classifier.CreateLoader(overflowing);
        var predictions = classifier.Predict(validation);
        Assert.Contains(0, predictions.NonFinite);

        // When the page's findings are computed
        var findings = RunReportFindings.Compute(classifier, validation, new RunReportOptions { BatchSize = 8, FaithfulnessSeries = 0, MaxCounterfactuals = 0 }, null, default);

        // Then that series has no class: in no cell of the confusion matrix but counted (wrong), among neither the
        // misclassified nor the gallery; the others keep the classifier's classes
        Assert.Equal(RunReportFindings.NoPrediction, findings.Predicted[0]);
        var confusion = findings.Confusion()!;
        Assert.Equal(1, confusion.Unpredicted);
        Assert.Equal(20, confusion.Total);
        Assert.DoesNotContain(findings.Misclassified, s => s.Index == 0);
        Assert.DoesNotContain(findings.Gallery.SelectMany(g => g), s => s.Index == 0);
        for (var i = 1; i < 20; i++)
            Assert.Equal(predictions.PredictedClass(i), classifier.Classes[findings.Predicted[i]]);
    }

    [Fact]
    public void Should_Summarise_Maps_As_The_Explainer_Computes_Them_And_Show_The_Worst_And_Surest_Series()
    {
        // Given the page's findings over the test series, explained 10 at a time
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        using var validation = classifier.CreateLoader(data);
        var findings = RunReportFindings.Compute(classifier, validation, new RunReportOptions { BatchSize = 10, MaxMisclassified = 5, GalleryPerClass = 2 }, null, default);

        // When the same maps are computed directly, all at once
        var explainer = new Explainer(classifier);
        var maps = explainer.Explain(validation, [.. Enumerable.Range(0, data.Count)], new ExplainOptions { BatchSize = 150 });
        var predictions = classifier.Predict(validation);

        // Then each class's mean map is the mean of its series' maps
        for (var c = 0; c < 2; c++)
        {
            var members = Enumerable.Range(0, data.Count).Where(i => maps.Labels![i] == c).ToArray();
            var mean = findings.Summary.MeanMap(c);
            for (var t = 0; t < data.Length; t += 7)
                Assert.Equal(members.Average(i => (double)maps.Map(i)[t]), mean[t], 1e-5);
        }
        // the predictions are the classifier's, the misclassified shown are those with the lowest probability of their class
        Assert.Equal(predictions.Predicted, findings.Predicted);
        var wrong = Enumerable.Range(0, data.Count).Where(i => predictions.Predicted[i] != predictions.Targets![i]).ToList();
        Assert.Equal(wrong.Count, findings.MisclassifiedCount);
        var worst = wrong.OrderBy(i => predictions.Probability(i, predictions.Targets![i])).ThenBy(i => i).Take(5);
        Assert.Equal(worst, findings.Misclassified.Select(s => s.Index));
        // with the map of their class, and the map of the class chosen
        var first = findings.Misclassified[0];
        Assert.Equal(maps.Map(first.Index).ToArray(), first.Map, new FloatTolerance(1e-5f));
        var chosen = explainer.Explain(validation, [first.Index], new ExplainOptions { Target = MapTarget.Predicted });
        Assert.Equal(chosen.Map(0).ToArray(), first.PredictedMap!, new FloatTolerance(1e-5f));
        // and the gallery holds each class's most confident correct series
        for (var c = 0; c < 2; c++)
        {
            var surest = Enumerable.Range(0, data.Count).Where(i => predictions.Targets![i] == c && predictions.Predicted[i] == c)
                .OrderByDescending(predictions.Confidence).ThenBy(i => i).Take(2);
            Assert.Equal(surest, findings.Gallery[c].Select(s => s.Index));
        }
    }

    [Fact]
    public void Should_Group_Unlabelled_Series_By_Their_Prediction()
    {
        // Given the test series without their labels
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var read = DatasetReader.Read(TestData.GunPointTestArff);
        var unlabelled = new TimeSeriesDataset("GunPoint", read.Values.ToArray(), read.Count, read.Channels, read.Length, null);
        using var validation = classifier.CreateLoader(unlabelled);

        // When the page is built
        var html = RunReportPage.Build(RunRecordTests.Sample(), classifier, validation);

        // Then nothing is called misclassified, and the gallery and class maps follow the predictions
        var predicted = classifier.Predict(validation).Predicted;
        Assert.Contains("The validation data has no labels: nothing is known to be misclassified.", html, StringComparison.Ordinal);
        Assert.Contains("The validation data has no labels: there is nothing to compare the predictions with.", html, StringComparison.Ordinal);
        Assert.Equal(0, PictureCount(html, "misclassified"));
        Assert.Equal(0, PictureCount(html, "confusion"));
        Assert.Equal(Enumerable.Range(0, 2).Count(c => predicted.Contains(c)), PictureCount(html, "class-maps"));
        Assert.Equal(Enumerable.Range(0, 2).Sum(c => Math.Min(3, predicted.Count(p => p == c))), PictureCount(html, "gallery"));
        Assert.Contains("the data has no labels, so each map explains the predicted class", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_An_Empty_Validation_Set_And_An_Unknown_Colormap_Before_Any_Work()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff));
        using var empty = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff).Subset([]));

        Assert.Contains("holds no series", Assert.Throws<ArgumentException>(() => RunReportPage.Build(RunRecordTests.Sample(), classifier, empty)).Message, StringComparison.Ordinal);
        Assert.Contains("Unknown colormap 'spectral'", Assert.Throws<ArgumentException>(() =>
            RunReportPage.Build(RunRecordTests.Sample(), classifier, validation, new RunReportOptions { Colormap = "spectral" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Save_Atomically()
    {
        using var leaks = new TensorLeakCheck();
        using var temp = new TempFolder();
        using var classifier = SmallModels.GunPoint();
        using var validation = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff).Subset([.. Enumerable.Range(0, 20)]));
        var path = temp.Combine("report.html");
        File.WriteAllText(path, "old");

        RunReportPage.Save(path, RunRecordTests.Sample(), classifier, validation);

        Assert.Equal(["report.html"], temp.Entries());
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", File.ReadAllText(path), StringComparison.Ordinal);
    }

    /// <summary>The number of &lt;svg&gt; elements inside the section with id <paramref name="id"/>.</summary>
    private static int PictureCount(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return Regex.Matches(html[start..end], "<svg ").Count;
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }

    [GeneratedRegex("<section id=\"([^\"]+)\">")]
    private static partial Regex SectionId();

    [GeneratedRegex("(?:href|src)=\"([^\"]*)\"")]
    private static partial Regex Reference();

    [GeneratedRegex("<svg [^>]*>")]
    private static partial Regex SvgTag();

    [GeneratedRegex(" id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("url\\(#([^)]+)\\)")]
    private static partial Regex UrlReference();
}
