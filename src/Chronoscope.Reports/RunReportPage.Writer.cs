using System.Globalization;
using System.Text;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Plotting;
using Chronoscope.Training;

namespace Chronoscope.Reports;

public static partial class RunReportPage
{
    /// <summary>Writes the page, section by section, from the run record and what was found over the validation set.</summary>
    private sealed partial class PageWriter(
        RunRecord run, TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions options,
        IReadOnlyList<string> names, RunReportFindings findings)
    {
        private readonly StringBuilder _html = new();
        private int _figures;

        public string Write()
        {
            var title = options.Title ?? $"{run.Dataset.Name} - Chronoscope run report";
            Line("<!DOCTYPE html>");
            Line("<html lang=\"en\">");
            Line("<head>");
            Line("<meta charset=\"utf-8\">");
            Line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
            Line("<meta name=\"color-scheme\" content=\"light\">");
            Line("<meta name=\"generator\" content=\"Chronoscope " + Escape(run.ChronoscopeVersion) + "\">");
            Line("<link rel=\"icon\" href=\"data:,\">"); // no request for /favicon.ico
            Line($"<title>{Escape(title)}</title>");
            Line($"<style>{StyleSheet}</style>");
            Line("</head>");
            Line("<body>");
            Header(title);
            Line("<main>");
            Dataset();
            Settings();
            Epochs();
            Curves();
            Confusion();
            ClassMaps();
            Faithfulness();
            Misclassified();
            Counterfactuals();
            Gallery();
            Notes();
            Line("</main>");
            Line($"<footer>Written by Chronoscope {Escape(run.ChronoscopeVersion)} on {Escape(Timestamp(DateTime.UtcNow))}.</footer>");
            Line("</body>");
            Line("</html>");
            return _html.ToString();
        }

        private void Header(string title)
        {
            var accuracy = run.Final.Metrics.TryGetValue("accuracy", out var a) ? $", accuracy {Number(a)}" : "";
            Line("<header>");
            Line($"<h1>{Escape(title)}</h1>");
            Line($"<p class=\"lead\">InceptionTime ({Escape(run.Settings.Variant)}), {Count(run.Model.Parameters)} parameters, " +
                $"trained {Plural(run.Final.EpochsTrained, "epoch", "epochs")}{Escape(accuracy)} on {Count(run.Dataset.ValidCount)} validation series. " +
                $"Run of {Escape(Timestamp(run.CreatedUtc))}.</p>");
            Line("<nav aria-label=\"Sections\">");
            string[] titles = ["Dataset", "Settings", "Epochs", "Curves", "Confusion matrix", "Class maps", "Faithfulness", "Misclassified", "Counterfactuals", "Gallery", "Notes"];
            for (var i = 0; i < SectionIds.Count; i++)
                Line($"<a href=\"#{SectionIds[i]}\">{titles[i]}</a>");
            Line("</nav>");
            Line("</header>");
        }

        private void Dataset()
        {
            var d = run.Dataset;
            Open("dataset", "Dataset");
            Facts(
            [
                ("Name", Escape(d.Name)),
                ("From", Escape(d.Origin)),
                ("Training file", d.TrainFile is null ? "none (data from code)" : Code(d.TrainFile)),
                ("Test file", d.TestFile is null ? "none" : Code(d.TestFile)),
                ("Split", Escape(d.Split)),
                ("Series", $"{Count(d.TrainCount)} training, {Count(d.ValidCount)} validation" +
                    (findings.Count != d.ValidCount ? $" (this report explains {Count(findings.Count)})" : "")),
                ("Shape", $"{Plural(d.Length, "step", "steps")}, {Plural(d.Channels, "channel", "channels")}"),
                ("Classes", $"{Count(d.Classes.Count)}: " + string.Join(", ", classifier.Classes.Select((label, k) => Escape(ClassLabel(k))))),
            ]);
            Line("<h3>Validation series per class</h3>");
            Line("<div class=\"scroll\"><table>");
            var labelled = findings.Labels is not null;
            Line("<thead><tr><th>class</th><th class=\"n\">series</th>" + (labelled ? "<th class=\"n\">right</th><th class=\"n\">recall</th>" : "<th class=\"n\">predicted</th>") + "</tr></thead>");
            Line("<tbody>");
            var confusion = findings.Confusion();
            for (var k = 0; k < classifier.Classes.Count; k++)
            {
                if (confusion is not null)
                {
                    var actual = confusion.ActualCount(k);
                    var recall = actual == 0 ? "" : Number((double)confusion[k, k] / actual);
                    Line($"<tr><td>{Escape(ClassLabel(k))}</td><td class=\"n\">{Count(actual)}</td><td class=\"n\">{Count(confusion[k, k])}</td><td class=\"n\">{recall}</td></tr>");
                }
                else
                {
                    Line($"<tr><td>{Escape(ClassLabel(k))}</td><td class=\"n\"></td><td class=\"n\">{Count(findings.Predicted.Count(p => p == k))}</td></tr>");
                }
            }
            Line("</tbody></table></div>");
            Close();
        }

        private void Settings()
        {
            var s = run.Settings;
            Open("settings", "Settings");
            var split = s.Split == "pooled" && s.ValidPercent is { } percent
                ? $"pooled, {Escape((percent * 100).ToString("0.#", CultureInfo.InvariantCulture))}% validation drawn with seed {s.SplitSeed}"
                : Escape(s.Split);
            var epochs = s.Epochs == run.Final.EpochsTrained ? Count(s.Epochs) : $"{Count(s.Epochs)} asked, {Count(run.Final.EpochsTrained)} trained";
            Facts(
            [
                ("Epochs", epochs),
                ("Max learning rate", Escape(Rate(s.MaxLearningRate))),
                ("Schedule", Escape(s.Schedule)),
                ("Batch size", Count(s.BatchSize)),
                ("Seed", Escape(s.Seed.ToString(CultureInfo.InvariantCulture))),
                ("Split", split),
                ("Normalization", Escape(s.Normalization)),
                ("Variable lengths", Escape(s.VariableLengths ?? "pad")),
                ("Optimizer", Escape(s.Optimizer)),
                ("Loss", Escape(s.Loss)),
                ("Precision", s.Precision == SettingNames.Of(TrainingPrecision.BFloat16) ? "bf16 (mixed: convolutions in bfloat16, weights, BatchNorm and loss in float32)" : Escape(s.Precision ?? "fp32")),
                ("BatchNorm calibration", Escape(s.BatchNormCalibration)),
                ("Network", Escape($"InceptionTime ({s.Variant}): depth {s.Depth}, {s.Filters} filters, kernels {string.Join(", ", s.KernelSizes)}, bottleneck {s.Bottleneck}") +
                    $"; {Count(run.Model.Parameters)} parameters"),
                ("Metrics", Escape(string.Join(", ", s.Metrics))),
                ("Early stopping", s.EarlyStopping is { } stop ? Escape($"after {stop.Patience} epochs without improvement of {stop.Monitor}") : "none"),
                ("Threads", Count(s.Threads) + (s.HugePages == true ? "; memory on transparent huge pages" : "")
                    + (s.CachedTensorBlocks == true ? "; tensors' large blocks kept for reuse" : "")),
            ]);
            if (run.CommandLine.Length > 0)
            {
                Line("<h3>Command line</h3>");
                Line($"<pre><code>{Escape(run.CommandLine)}</code></pre>");
            }
            Close();
        }

        private void Epochs()
        {
            Open("epochs", "Epochs");
            var metrics = run.Settings.Metrics;
            Line("<div class=\"scroll\"><table class=\"epochs\">");
            Line("<thead><tr><th class=\"n\">epoch</th><th class=\"n\">train_loss</th><th class=\"n\">valid_loss</th>" +
                string.Concat(metrics.Select(m => $"<th class=\"n\">{Escape(m)}</th>")) + "<th class=\"n\">time</th></tr></thead>");
            Line("<tbody>");
            foreach (var epoch in run.Epochs)
            {
                var cells = metrics.Select(m => epoch.Metrics.TryGetValue(m, out var v) ? Number(v) : "");
                Line($"<tr><td class=\"n\">{epoch.Epoch}</td><td class=\"n\">{Number(epoch.TrainLoss)}</td><td class=\"n\">{Number(epoch.ValidLoss)}</td>" +
                    string.Concat(cells.Select(c => $"<td class=\"n\">{c}</td>")) + $"<td class=\"n\">{EpochTable.Time(TimeSpan.FromSeconds(epoch.Seconds))}</td></tr>");
            }
            Line("</tbody></table></div>");
            if (run.Final.StopReason is { } reason)
                Line($"<p>Training stopped early: {Escape(reason)}</p>");
            Close();
        }

        private void Curves()
        {
            Open("curves", "Loss and learning rate");
            Line("<div class=\"figures\">");
            var validLosses = run.Epochs.Select(e => e.ValidLoss).ToArray();
            var history = run.History;
            var perIteration = history is not null && history.SmoothedLosses.Count > 0 && history.EpochEndIterations.Count == validLosses.Length;
            var losses = perIteration
                ? new LossHistory([.. history!.SmoothedLosses], validLosses, [.. history.EpochEndIterations])
                : new LossHistory([.. run.Epochs.Select(e => e.TrainLoss)], validLosses);
            using (var loss = Pictures.PlotLoss(losses, new LossPlotOptions { WidthInches = 5, HeightInches = 3.6 }))
            {
                Figure(loss, "Training loss (smoothed) and validation loss" + (perIteration ? " per iteration" : " per epoch"),
                    perIteration ? "The training loss after each batch, smoothed as fastai's; the validation loss at the end of each epoch." : "Losses per epoch (this record has no per-batch history).");
            }
            if (history is { LearningRates.Count: > 0 })
            {
                var momentums = history.Momentums.Count == history.LearningRates.Count ? history.Momentums.ToArray() : null;
                using var schedule = Pictures.PlotSchedule(new ScheduleHistory([.. history.LearningRates], momentums),
                    new SchedulePlotOptions { Stacked = true, WidthInches = 5, HeightInches = 4.4 });
                Figure(schedule, "Learning rate and momentum per iteration", "The schedule followed, batch by batch.");
            }
            Line("</div>");
            if (history is null)
                Line("<p>This record has no per-batch history (written by an older Chronoscope): no schedule picture.</p>");
            Close();
        }

        private void Confusion()
        {
            Open("confusion", "Accuracy and confusion matrix");
            Line("<div class=\"tiles\">");
            foreach (var (name, value) in run.Final.Metrics)
                Line($"<div class=\"tile\"><span>{Escape(name)}</span><b>{Number(value)}</b></div>");
            Line($"<div class=\"tile\"><span>valid_loss</span><b>{Number(run.Final.ValidLoss)}</b></div>");
            Line("</div>");
            var confusion = findings.Confusion();
            if (confusion is null)
            {
                Line("<p>The validation data has no labels: there is nothing to compare the predictions with.</p>");
                Close();
                return;
            }
            var recorded = run.ConfusionMatrix.Counts;
            var same = recorded.Length == confusion.Classes.Count
                && Enumerable.Range(0, recorded.Length).All(i => recorded[i].Length == confusion.Classes.Count && Enumerable.Range(0, recorded[i].Length).All(j => recorded[i][j] == confusion[i, j]));
            Line($"<p>The metrics above are those of the last epoch. The matrix counts the model's predictions over the {Count(confusion.Total)} validation series explained below " +
                $"(accuracy {Number(confusion.Accuracy)}){(same ? ", the same counts as the last epoch's validation" : "; they differ from the last epoch's counts in metrics.json, so the data or the model is not the run's own")}.</p>");
            var k = confusion.Classes.Count;
            var size = Math.Clamp(2.5 + (0.45 * k), 4.2, 16);
            using (var picture = Pictures.PlotConfusionMatrix(Counts(confusion), new ConfusionMatrixPlotOptions { Title = "Confusion matrix", WidthInches = size + 1, HeightInches = size }))
            {
                Line("<div class=\"figures\">");
                Figure(picture, $"Confusion matrix of {confusion.Total} validation series: actual classes down, predicted across", null);
                Line("</div>");
            }
            var confused = confusion.MostConfused().Take(10).ToList();
            if (confused.Count > 0)
            {
                Line("<h3>Most confused</h3>");
                Line("<div class=\"scroll\"><table><thead><tr><th>actual</th><th>predicted</th><th class=\"n\">series</th></tr></thead><tbody>");
                foreach (var (actual, predicted, count) in confused)
                    Line($"<tr><td>{Escape(Name(actual))}</td><td>{Escape(Name(predicted))}</td><td class=\"n\">{Count(count)}</td></tr>");
                Line("</tbody></table></div>");
            }
            Close();
        }

        private void ClassMaps()
        {
            var summary = findings.Summary;
            Open("class-maps", "What each class relies on");
            Line($"<p>For each class, the mean of the {Escape(summary.Title ?? "map")} maps of its validation series, each scaled to 0..1 before averaging " +
                "(which time steps the model looks at for that class). Above: the class's mean series, coloured by the mean map, in a grey band of ± one standard deviation of the series. " +
                "Below: the mean map with ± one standard deviation of the maps. A high, narrow band marks steps every series of the class is explained by; a wide one, steps that matter for some series only.</p>");
            if (findings.MemberCount > 1)
            {
                Line($"<p class=\"ensemble\">The model is an ensemble of {findings.MemberCount} networks: each series' map is the mean of its members' maps for the same class, " +
                    "which approximates explaining the ensemble's averaged softmax. Under each picture, a strip marks in red the steps where the members disagree: " +
                    $"{Escape(MemberDisagreement.Rule)}. Here the map is the class's mean map and the spread the class's mean member spread; " +
                    "the misclassified series and the gallery mark each series' own map the same way.</p>");
            }
            var shown = Enumerable.Range(0, summary.Classes.Count).Where(k => summary.Count(k) > 0).Take(options.MaxClasses).ToList();
            Line("<div class=\"figures\">");
            foreach (var k in shown)
            {
                using var picture = Pictures.PlotClassMap(summary, k, new ClassMapPlotOptions
                {
                    Colormap = options.Colormap,
                    ClassNames = options.ClassNames,
                    WidthInches = 5,
                    HeightInches = summary.Channels == 1 ? 3.8 : 2.4 + (1.2 * Math.Min(summary.Channels, 6)),
                });
                Figure(picture, $"Class {ClassLabel(k)}: mean map over {summary.Count(k)} series",
                    $"{ClassLabel(k)}: {Plural(summary.Count(k), "series", "series")}",
                    findings.ClassSpread(k) is { } spread ? DisagreementStrip(summary.MeanMap(k), spread, $"class {ClassLabel(k)}") : null);
            }
            Line("</div>");
            var empty = Enumerable.Range(0, summary.Classes.Count).Where(k => summary.Count(k) == 0).Select(ClassLabel).ToList();
            if (empty.Count > 0)
                Line($"<p>No validation series of {Escape(string.Join(", ", empty))}.</p>");
            Close();
        }

        private void Misclassified()
        {
            Open("misclassified", "Misclassified series");
            if (findings.Labels is null)
            {
                Line("<p>The validation data has no labels: nothing is known to be misclassified.</p>");
                Close();
                return;
            }
            if (findings.MisclassifiedCount == 0)
            {
                Line($"<p>None: every one of the {Count(findings.Count)} validation series was classified right.</p>");
                Close();
                return;
            }
            var share = (double)findings.MisclassifiedCount / findings.Count;
            var shownText = findings.Misclassified.Count == findings.MisclassifiedCount
                ? "Each is shown"
                : $"The {Count(findings.Misclassified.Count)} with the lowest probability for their true class are shown";
            Line($"<p>{Count(findings.MisclassifiedCount)} of {Count(findings.Count)} validation series were misclassified ({Percent(share)}). " +
                $"{shownText} with two maps: what speaks for the true class, and what the model saw in the class it chose.</p>");
            Line("<div class=\"cards\">");
            foreach (var series in findings.Misclassified)
            {
                var actual = series.Label!.Value;
                Line($"<div class=\"card\" id=\"misclassified-{series.Index}\">");
                Line($"<h3>Series {series.Index}: {Escape(names[actual])}, predicted {Escape(names[series.Predicted])}</h3>");
                Line("<div class=\"pair\">");
                CamFigure(series, series.Map, actual, $"series {series.Index}, map of its true class {names[actual]}", "true class", series.Spread);
                CamFigure(series, series.PredictedMap ?? series.Map, series.Predicted, $"series {series.Index}, map of the predicted class {names[series.Predicted]}", "predicted class",
                    series.PredictedMap is null ? series.Spread : series.PredictedSpread);
                Line("</div>");
                if (HasCounterfactual(series.Index))
                    Line($"<p class=\"more\"><a href=\"#counterfactual-{series.Index}\">What would make it {Escape(names[actual])}: its counterfactual</a></p>");
                Line("</div>");
            }
            Line("</div>");
            Close();
        }

        private void Gallery()
        {
            Open("gallery", "Gallery of correct predictions");
            var labelled = findings.Labels is not null;
            Line(labelled
                ? $"<p>Up to {Plural(options.GalleryPerClass, "series", "series")} per class that the model classified right, the most confident first, each coloured by its map.</p>"
                : $"<p>Up to {Plural(options.GalleryPerClass, "series", "series")} per predicted class (the data has no labels), the most confident first, each coloured by its map.</p>");
            var classes = Enumerable.Range(0, classifier.Classes.Count).Take(options.MaxClasses).ToList();
            foreach (var k in classes)
            {
                var kept = findings.Gallery[k];
                Line($"<h3>{Escape(ClassLabel(k))}</h3>");
                if (kept.Count == 0)
                {
                    Line(labelled ? "<p>No series of this class was classified right.</p>" : "<p>No series was predicted as this class.</p>");
                    continue;
                }
                Line("<div class=\"thumbs\">");
                foreach (var series in kept)
                    CamFigure(series, series.Map, series.Predicted, $"series {series.Index}, {names[series.Predicted]}", $"series {series.Index}", series.Spread);
                Line("</div>");
            }
            Close();
        }

        private void Notes()
        {
            Open("notes", "Notes");
            var summary = findings.Summary;
            List<string> notes =
            [
                .. run.Notes,
                .. options.Notes,
                findings.Labels is null
                    ? $"Maps: {summary.Title} of layer {findings.Layer} ({findings.LayerDescription}), each scaled to 0..1; the data has no labels, so each map explains the predicted class and series are grouped by it."
                    : $"Maps: {summary.Title} of layer {findings.Layer} ({findings.LayerDescription}), each scaled to 0..1; a map explains the series' true class unless said otherwise, and series are grouped by their true class.",
            ];
            var hidden = classifier.Classes.Count - Math.Min(options.MaxClasses, classifier.Classes.Count);
            if (hidden > 0)
                notes.Add($"Only the first {options.MaxClasses} classes have class-map pictures and gallery rows; {hidden} more are left out to keep the page light.");
            if (run.Final.StopReason is { } reason)
                notes.Add($"Training stopped early: {reason}");
            var t = run.Timings;
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Time: {t.LoadSeconds:0.0} s loading, {t.FitSeconds:0.0} s training, {t.SaveSeconds:0.0} s saving, {t.TotalSeconds:0.0} s in all."));
            notes.Add($"Trained with Chronoscope {run.ChronoscopeVersion}; the run record was made {Timestamp(run.CreatedUtc)}.");
            Line("<ul>");
            foreach (var note in notes)
                Line($"<li>{Escape(note)}</li>");
            Line("</ul>");
            Close();
        }

        /// <summary>
        /// One series coloured by one of its maps, titled by the class the map explains and the model's probability for it;
        /// for an ensemble, with the strip of steps where its members disagree (<paramref name="spread"/>).
        /// </summary>
        private void CamFigure(ShownSeries series, float[] map, int explained, string label, string caption, float[]? spread)
        {
            var data = validation.Dataset;
            var length = data.Lengths[series.Index];
            var item = new CamItem(data.SeriesAsRead(series.Index), data.Channels, map[..length], names[explained], series.Probabilities[explained]);
            using var picture = Pictures.ShowCam(CamBatch.Scaled([item], findings.Summary.Title ?? "map"), new CamPlotOptions
            {
                Colormap = options.Colormap,
                LineWidth = 3,
                MaxColoredSegments = options.ThumbnailColors,
                WidthInches = 4.2,
                HeightInches = data.Channels == 1 ? 2.9 : 1.1 + (1.1 * Math.Min(data.Channels, 6)),
            });
            Figure(picture, label, caption,
                spread is null ? null : DisagreementStrip([.. map[..length].Select(v => (double)v)], [.. spread[..length].Select(v => (double)v)], $"series {series.Index}"));
        }

        /// <summary>
        /// A strip as wide as the figure, one unit per step of <paramref name="map"/>, with a red mark at each step where an
        /// ensemble's members disagree (<see cref="MemberDisagreement"/>), and the same steps in words; the marked steps are
        /// also in its <c>data-steps</c> attribute (<c>3-7,40</c>).
        /// </summary>
        private static string DisagreementStrip(IReadOnlyList<double> map, IReadOnlyList<double> spread, string what)
        {
            var runs = MemberDisagreement.Runs(MemberDisagreement.Steps(map, spread));
            var listed = runs.Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}-{r.Last}").ToList();
            var steps = string.Join(",", listed);
            var last = map.Count - 1;
            var words = runs.Count == 0
                ? $"The members agree at every step of {Escape(what)} (no step 0-{last} meets the rule)."
                : $"The members disagree at step{(runs.Count == 1 && runs[0].First == runs[0].Last ? "" : "s")} {string.Join(", ", listed)} of 0-{last}.";
            var html = new StringBuilder();
            html.Append(CultureInfo.InvariantCulture, $"<svg class=\"disagreement\" viewBox=\"0 0 {map.Count} 1\" preserveAspectRatio=\"none\" width=\"100%\" role=\"img\" ")
                .Append(CultureInfo.InvariantCulture, $"aria-label=\"Steps where the members disagree, {Escape(what)}: {(steps.Length == 0 ? "none" : steps)}\" data-steps=\"{steps}\">");
            foreach (var (first, lastStep) in runs)
                html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{first}\" y=\"0\" width=\"{lastStep - first + 1}\" height=\"1\"/>");
            html.Append("</svg>\n");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"disagreement\">{words}</p>");
            return html.ToString();
        }

        private void Figure(Figure figure, string label, string? caption, string? below = null)
        {
            _figures++;
            Line("<figure>");
            Line(figure.GetInlineSvg($"f{_figures}-", label));
            if (below is not null)
                Line(below);
            if (caption is not null)
                Line($"<figcaption>{Escape(caption)}</figcaption>");
            Line("</figure>");
        }

        private void Facts(IReadOnlyList<(string Name, string Html)> rows)
        {
            Line("<table class=\"facts\"><tbody>");
            foreach (var (name, html) in rows)
                Line($"<tr><th scope=\"row\">{Escape(name)}</th><td>{html}</td></tr>");
            Line("</tbody></table>");
        }

        private void Open(string id, string title)
        {
            Line($"<section id=\"{id}\">");
            Line($"<h2>{Escape(title)}</h2>");
        }

        private void Close() => Line("</section>");

        private void Line(string html) => _html.Append(html).Append('\n');

        private ConfusionCounts Counts(ConfusionMatrix confusion)
        {
            var k = confusion.Classes.Count;
            var counts = new int[k, k];
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                    counts[i, j] = checked((int)confusion[i, j]);
            }
            return new ConfusionCounts(counts, names);
        }

        /// <summary>The display name of a class given by its label.</summary>
        private string Name(string label)
        {
            var k = classifier.Classes.ToList().IndexOf(label);
            return k < 0 ? label : names[k];
        }

        /// <summary><c>1 (Gun)</c> when the class has a name other than its label, else the label.</summary>
        private string ClassLabel(int k) => names[k] == classifier.Classes[k] ? names[k] : $"{classifier.Classes[k]} ({names[k]})";
    }

    /// <summary>Text for HTML: the five characters with a meaning in markup or attributes become entities.</summary>
    internal static string Escape(string text)
    {
        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }
        return html.ToString();
    }

    private static string Code(string text) => $"<code>{Escape(text)}</code>";

    private static string Number(double value) => EpochTable.Number(value);

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Plural(long n, string one, string many) => n == 1 ? $"1 {one}" : $"{Count(n)} {many}";

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Rate(double value) => value.ToString("G6", CultureInfo.InvariantCulture).Replace('E', 'e');

    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
