using System.Globalization;
using Chronoscope.Explain;
using Chronoscope.Plotting;

namespace Chronoscope.Reports;

public static partial class RunReportPage
{
    /// <summary>The sections that say how far the maps deserve belief and what would have turned a wrong answer right.</summary>
    private sealed partial class PageWriter
    {
        /// <summary>The share of cells the section's headline sentence speaks of.</summary>
        private const double HeadlineFraction = 0.10;

        private void Faithfulness()
        {
            Open("faithfulness", "How faithful are these maps?");
            if (findings.Faithfulness is not { } f)
            {
                Line("<p>Not measured for this report.</p>");
                Close();
                return;
            }
            var title = findings.Summary.Title ?? f.Method.Method;
            var cells = f.TimeOnly ? "time steps" : "channel-steps";
            var step = f.Method.Fractions[0];
            var last = f.Method.Fractions[^1];
            var series = f.Items.Count == findings.Count
                ? $"all {Plural(findings.Count, "validation series", "validation series")}"
                : $"{Count(f.Items.Count)} of the {Count(findings.Count)} validation series, evenly spaced through the set";
            Line($"<p>A map deserves belief when the {cells} it ranks highest are the ones the model relies on. To check, the {cells} of each {Escape(title)} map " +
                $"are replaced by {Escape(Replacement(f.Method.Perturbation))}, {Share(step)} more at each step up to {Share(last)}: the most relevant first (MoRF) and, " +
                $"separately, the least relevant first (LeRF); after each step the model's probability for the class it predicted is read. " +
                $"A random ranking of the same {cells} is the control. Measured on {series}, with maps of the predicted class.</p>");

            var s = f.StepNearest(HeadlineFraction);
            var original = f.Method.Original.Average();
            var (morf, lerf) = (f.Method.Mean(f.Method.MostRelevantFirst), f.Method.Mean(f.Method.LeastRelevantFirst));
            var (controlMorf, controlLerf) = (f.Control.Mean(f.Control.MostRelevantFirst), f.Control.Mean(f.Control.LeastRelevantFirst));
            var (ds, controlDs) = (f.MethodScores.Ds, f.ControlScores.Ds);
            Line($"<p class=\"verdict\">Replacing the {Share(f.Method.Fractions[s])} of the {cells} that the {Escape(title)} map ranks highest changes the probability of the predicted class " +
                $"from {Score(original)} to {Score(morf[s])} on average ({Change(morf[s] - original)}), against {Change(controlMorf[s] - original)} when a random ranking picks them. " +
                $"Its DS, the mean gap between the LeRF and MoRF curves (0 for a ranking that knows nothing), is {Score(ds)} against {Score(controlDs)} for the random ranking: " +
                $"{Verdict(ds - controlDs)}.</p>");

            Line("<div class=\"figures\">");
            using (var picture = Pictures.PlotFaithfulness([f.Method, f.Control], new FaithfulnessPlotOptions
            {
                ControlMethod = f.Control.Method,
                ControlPanel = false,
                WidthInches = 5,
                HeightInches = 3.6,
            }))
            {
                Figure(picture, $"Perturbation curves of {title} against a random ranking",
                    "Mean probability of the predicted class as more of each series is replaced: MoRF (red) should fall fast and LeRF (blue) stay high; grey: the random ranking.");
            }
            var (m, c) = (f.MethodScores, f.ControlScores);
            var top = Share(f.Method.Fractions[s]);
            Line("<div class=\"scroll\"><table class=\"scores\">");
            Line($"<thead><tr><th>measure</th><th class=\"n\">{Escape(title)}</th><th class=\"n\">random</th><th>better</th></tr></thead>");
            Line("<tbody>");
            ScoreRow("probability, nothing replaced", original, f.Control.Original.Average(), "");
            ScoreRow($"probability, top {top} replaced (MoRF)", morf[s], controlMorf[s], "lower");
            ScoreRow($"probability, bottom {top} replaced (LeRF)", lerf[s], controlLerf[s], "higher");
            ScoreRow("DS: mean of LeRF − MoRF", m.Ds, c.Ds, "higher");
            ScoreRow("DDS: DS, first steps weighted most", m.Dds, c.Dds, "higher");
            ScoreRow($"deletion AUC (MoRF, 0–{Share(last)})", m.DeletionAuc, c.DeletionAuc, "lower");
            ScoreRow("insertion AUC", m.InsertionAuc, c.InsertionAuc, "higher");
            ScoreRow("F (InterpretTime)", m.FScore, c.FScore, "higher");
            Line("</tbody></table></div>");
            Line("</div>");
            Line("<p class=\"lead\">DS and DDS: Baer et al. 2025; deletion and insertion AUC: Petsiuk et al. 2018; F: Turbé et al. 2023 (InterpretTime); " +
                "each the mean over the series measured. The formulas are those of <code>FaithfulnessScores</code>.</p>");
            Close();
        }

        private void ScoreRow(string name, double value, double control, string better) =>
            Line($"<tr><td>{Escape(name)}</td><td class=\"n\">{Score(value)}</td><td class=\"n\">{Score(control)}</td><td>{better}</td></tr>");

        private void Counterfactuals()
        {
            Open("counterfactuals", "Counterfactuals");
            var found = findings.Counterfactuals;
            if (found is null)
            {
                Line("<p>The validation data has no labels: nothing is known to be misclassified, so there is nothing to turn around.</p>");
                Close();
                return;
            }
            if (findings.MisclassifiedCount == 0)
            {
                Line("<p>None needed: no validation series was misclassified.</p>");
                Close();
                return;
            }
            if (found.Series.Count == 0)
            {
                Line("<p>Not sought for this report.</p>");
                Close();
                return;
            }
            if (found.Results is not { } results)
            {
                Line($"<p>No counterfactuals for the {Plural(findings.MisclassifiedCount, "misclassified series", "misclassified series")}: {Escape(found.Problem ?? "none were sought")}.</p>");
                Close();
                return;
            }

            var by = StepOf(results);
            var growth = by > 1 ? $"{by} steps at a time" : "one step at a time";
            var distance = results.Distance == SeriesDistance.Dtw ? $"by DTW within a band of {Plural(results.Band, "step", "steps")}" : "by Euclidean distance";
            Line($"<p>What would have made the model right: for each misclassified series, a small change toward its true class (Native Guide). Its nearest unlike neighbour, " +
                $"the training series of the true class closest to it ({distance}) that the model also puts in that class, lends it a window of its values where " +
                $"the neighbour's {Escape(results.MapTitle)} map is highest; the window grows {growth} until the model predicts the true class with probability at least {Share(results.Threshold)}.</p>");
            var shown = found.Series.Count == findings.MisclassifiedCount
                ? $"Found for {Count(results.FoundCount)} of the {Plural(findings.MisclassifiedCount, "misclassified series", "misclassified series")}."
                : $"Sought for the {Count(found.Series.Count)} of {Count(findings.MisclassifiedCount)} misclassified series with the lowest probability for their true class; found for {Count(results.FoundCount)}.";
            Line($"<p>{shown} Each is shown next to the map of its true class.</p>");
            var inMisclassified = findings.Misclassified.Select(s => s.Index).ToHashSet();
            Line("<div class=\"cards\">");
            for (var k = 0; k < found.Series.Count; k++)
            {
                var series = found.Series[k];
                var counterfactual = results.Items[k];
                var actual = series.Label!.Value;
                Line($"<div class=\"card\" id=\"counterfactual-{series.Index}\">");
                Line($"<h3>Series {series.Index}: {Escape(names[actual])}, predicted {Escape(names[series.Predicted])}</h3>");
                Line("<div class=\"pair\">");
                CamFigure(series, series.Map, actual, $"series {series.Index}, map of its true class {names[actual]}", "map of the true class", series.Spread);
                using (var picture = Pictures.ShowCounterfactual(results, k, validation.Dataset, new CounterfactualPlotOptions
                {
                    ClassNames = options.ClassNames,
                    WidthInches = 5,
                    HeightInches = 3.4 + (1.6 * Math.Min(results.Channels - 1, 5)),
                }))
                {
                    Figure(picture, $"series {series.Index}, counterfactual toward {names[actual]}", counterfactual.Found ? "counterfactual (changed window shaded)" : "no counterfactual found");
                }
                Line("</div>");
                Line($"<p>{CounterfactualText(counterfactual, results)}" +
                    (inMisclassified.Contains(series.Index) ? $" <a href=\"#misclassified-{series.Index}\">Both maps</a>." : "") + "</p>");
                Line("</div>");
            }
            Line("</div>");
            Close();
        }

        /// <summary>True when the counterfactual section has a card for validation series <paramref name="index"/>.</summary>
        private bool HasCounterfactual(int index) =>
            findings.Counterfactuals is { Results: not null } found && found.Series.Any(s => s.Index == index);

        /// <summary>The probabilities before and after and the window, or why there is no counterfactual, in one sentence.</summary>
        private string CounterfactualText(Counterfactual counterfactual, CounterfactualResults results)
        {
            var target = counterfactual.Target;
            var p = $"p({Escape(names[target])})";
            var before = Probability(counterfactual.ProbabilitiesBefore[target]);
            return counterfactual.Outcome switch
            {
                CounterfactualOutcome.Found =>
                    $"{p} {before} → {Probability(counterfactual.ProbabilitiesAfter![target])}: steps {counterfactual.WindowStart}–{counterfactual.WindowStart + counterfactual.WindowLength - 1} " +
                    $"({Share(counterfactual.ChangedShare)} of the series) copied from training series {counterfactual.Neighbour}; L2 distance {Score(counterfactual.L2)} from the series.",
                CounterfactualOutcome.NotFlipped =>
                    $"No counterfactual found: even the whole neighbour (training series {counterfactual.Neighbour}) gives {p} {Probability(counterfactual.ProbabilitiesAfter![target])}, " +
                    $"below {Share(results.Threshold)} (the series: {before}).",
                _ => $"No counterfactual found: no training series of {Escape(names[target])} is classified as {Escape(names[target])} (the series: {p} {before}).",
            };
        }

        /// <summary>The window growth of <paramref name="results"/>' search, as the page's options chose it.</summary>
        private int StepOf(CounterfactualResults results) =>
            options.Counterfactuals?.WindowStep ?? Math.Max(1, (int)Math.Round(0.02 * results.Length));

        private static string Replacement(Perturbation perturbation) => perturbation switch
        {
            Perturbation.Zero => "zeros",
            Perturbation.SeriesMean => "the series' mean",
            Perturbation.GaussianNoise => "Gaussian noise of the series' mean and spread",
            Perturbation.UniformNoise => "uniform noise in the series' range",
            Perturbation.Inverse => "their mirror image in the series' range (max − x)",
            Perturbation.TrainingMean => "the training set's mean series",
            _ => perturbation.ToString(),
        };

        /// <summary>How the method's DS compares with the control's, in words (rough bands, a reading aid, not a test).</summary>
        private static string Verdict(double gap) => gap switch
        {
            >= 0.05 => "the map points at what the model relies on, clearly more than chance",
            >= 0.02 => "a little better than chance; read its colours with care",
            > -0.02 => "no better than chance on these series; its colours say little about what the model relies on",
            _ => "worse than chance; the steps it ranks highest matter less to the model than random ones",
        };
    }

    private static string Score(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Change(double delta) =>
        delta < 0 ? $"a drop of {Score(-delta)}" : delta > 0 ? $"a rise of {Score(delta)}" : "no change";

    private static string Probability(double p) => (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Share(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
