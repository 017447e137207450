using System.Globalization;
using System.Text.RegularExpressions;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Reports;

/// <summary>The run report of an ensemble: where its members disagree about a map is marked, by a rule the page states.</summary>
public sealed partial class RunReportEnsembleTests
{
    private static readonly RunReportOptions Light = new() { FaithfulnessSeries = 0, MaxCounterfactuals = 0, GalleryPerClass = 3, MaxMisclassified = 4 };

    private static TimeSeriesDataset Validation() => DatasetReader.Read(TestData.GunPointTestArff).Subset([.. Enumerable.Range(0, 40)]);

    [Fact]
    public void Should_Mark_The_Steps_Whose_Member_Spread_Exceeds_A_Quarter_Of_The_Maps_Range()
    {
        // Given hand-built maps and spreads: range 1 (limit 0.25), range 4 (limit 1), a step past the series (NaN), a flat map
        double[] map = [0, 1, 0.5, 0.2, 0.7, double.NaN];
        double[] spread = [0.3, 0.2, 0.26, 0.25, 0.5, 9];

        // Then exactly the steps above the limit are marked, equal ones not, the NaN step neither counted nor marked
        Assert.Equal([0, 2, 4], MemberDisagreement.Steps(map, spread));
        Assert.Equal([0], MemberDisagreement.Steps([2, 6, 4], [1.01, 0.99, 1.0]));
        Assert.Empty(MemberDisagreement.Steps([0.5, 0.5, 0.5], [0.1, 0.2, 0.3]));
        Assert.Equal([(0, 0), (2, 4), (9, 9)], MemberDisagreement.Runs([0, 2, 3, 4, 9]));
        Assert.Throws<ArgumentException>(() => MemberDisagreement.Steps([1, 2], [1]));
    }

    [Fact]
    public void Should_Mark_Each_Shown_Series_Where_Its_Members_Maps_Disagree_And_Say_What_Averaging_Means()
    {
        // Given an ensemble of two differently seeded networks and 40 test series
        using var leaks = new TensorLeakCheck();
        using var a = SmallModels.GunPoint(seed: 1);
        using var b = SmallModels.GunPoint(seed: 2);
        using var ensemble = TimeSeriesClassifier.Ensemble([a, b]);
        var data = Validation();
        using var validation = ensemble.CreateLoader(data);

        // When its page is built
        var html = RunReportPage.Build(RunRecordTests.Sample(), ensemble, validation, Light);

        // Then the class-maps section states what averaging maps means and the rule, and has a strip under each class's picture
        var classMaps = Section(html, "class-maps");
        Assert.Contains("which approximates explaining the ensemble's averaged softmax", classMaps, StringComparison.Ordinal);
        Assert.Contains("exceeds 0.25 of the map&#39;s range", classMaps, StringComparison.Ordinal);
        Assert.Equal(2, Strips().Matches(classMaps).Count);
        // each misclassified series has a strip under each of its two maps
        Assert.Equal(PictureCount(Section(html, "misclassified")) - Strips().Matches(Section(html, "misclassified")).Count, Strips().Matches(Section(html, "misclassified")).Count);

        // and each gallery series' marks are the steps where the sd of the two members' maps, computed here member by
        // member, exceeds a quarter of the range of their mean (the page's maps are scaled, which scales both alike)
        var gallery = GalleryStrips().Matches(Section(html, "gallery")).Select(m => (Index: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Steps: m.Groups[1].Value)).ToList();
        Assert.NotEmpty(gallery);
        var marked = 0;
        foreach (var (index, steps) in gallery)
        {
            var raws = new[] { a, b }.Select(m => new Explainer(m).Explain(data, [index], new ExplainOptions { ForceScale = false, Target = MapTarget.Label }).Map(0).ToArray()).ToArray();
            var mean = raws[0].Zip(raws[1], (x, y) => (x + y) / 2.0).ToArray();
            var sd = raws[0].Zip(raws[1], (x, y) => Math.Abs(x - y) / 2.0).ToArray();
            var range = mean.Max() - mean.Min();
            var expected = Enumerable.Range(0, mean.Length).Where(t => sd[t] > 0.25 * range).ToHashSet();
            var shown = Expand(steps);
            // a step within float rounding of the limit may fall either way
            var differing = expected.Except(shown).Concat(shown.Except(expected));
            Assert.All(differing, t => Assert.True(Math.Abs((sd[t] / range) - 0.25) < 1e-4, $"series {index} step {t}: sd/range {sd[t] / range}"));
            marked += shown.Count;
        }
        Assert.True(marked > 0, "no gallery series has a marked step: the test would not see a wrong rule");
    }

    [Fact]
    public void Should_Average_The_Member_Spread_Per_Class_And_Draw_No_Strip_For_One_Network()
    {
        // Given an ensemble's findings, and one network's page
        using var leaks = new TensorLeakCheck();
        using var a = SmallModels.GunPoint(seed: 1);
        using var b = SmallModels.GunPoint(seed: 2);
        using var ensemble = TimeSeriesClassifier.Ensemble([a, b]);
        var data = Validation();
        using var validation = ensemble.CreateLoader(data);
        var findings = RunReportFindings.Compute(ensemble, validation, Light with { BatchSize = 16 }, null, default);
        var maps = new Explainer(ensemble).Explain(validation, [.. Enumerable.Range(0, data.Count)], new ExplainOptions { Target = MapTarget.Label, BatchSize = 40 });
        using var single = SmallModels.GunPoint(seed: 1);
        using var singleValidation = single.CreateLoader(data);
        var html = RunReportPage.Build(RunRecordTests.Sample(), single, singleValidation, Light);

        // Then each class's spread is the mean of its series' member spreads, step by step
        Assert.Equal(2, findings.MemberCount);
        for (var c = 0; c < 2; c++)
        {
            var series = Enumerable.Range(0, data.Count).Where(i => maps.Labels![i] == c).ToArray();
            var spread = findings.ClassSpread(c)!;
            for (var t = 0; t < data.Length; t++)
                Assert.Equal(series.Average(i => (double)maps.MemberSpread![(i * data.Length) + t]), spread[t], 1e-5);
        }
        // and one network's page has neither strips nor the ensemble's paragraph
        Assert.Null(RunReportFindings.Compute(single, singleValidation, Light, null, default).ClassSpread(0));
        Assert.DoesNotContain("class=\"disagreement\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("averaged softmax", html, StringComparison.Ordinal);
    }

    private static HashSet<int> Expand(string steps) =>
        steps.Length == 0
            ? []
            : [.. steps.Split(',').SelectMany(run =>
            {
                var ends = run.Split('-').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray();
                return Enumerable.Range(ends[0], ends[^1] - ends[0] + 1);
            })];

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static int PictureCount(string section) => Regex.Matches(section, "<svg ").Count;

    [GeneratedRegex("<svg class=\"disagreement\"")]
    private static partial Regex Strips();

    [GeneratedRegex("data-steps=\"([^\"]*)\">(?:(?!<figure>).)*?<figcaption>series (\\d+)</figcaption>", RegexOptions.Singleline)]
    private static partial Regex GalleryStrips();
}
