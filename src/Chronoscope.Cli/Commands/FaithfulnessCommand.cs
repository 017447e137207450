using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Plotting;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope faithfulness</c>: how far each method's maps deserve belief on a model and data. For every method
/// (the random control always included) and perturbation: MoRF / LeRF / insertion curves over 2% … 50% of the cells,
/// scored (DS, DDS, deletion and insertion AUC, AUC-S̃top, AUC-S̃bottom, F); a table per perturbation, CSV and JSON,
/// and the curves as PNG and SVG. Everything is checked before any work; files are written at the end, atomically.
/// </summary>
internal static class FaithfulnessCommand
{
    private static readonly IReadOnlyDictionary<string, Perturbation> Perturbations = new Dictionary<string, Perturbation>
    {
        ["zero"] = Perturbation.Zero,
        ["mean"] = Perturbation.SeriesMean,
        ["gaussian"] = Perturbation.GaussianNoise,
        ["uniform"] = Perturbation.UniformNoise,
        ["inverse"] = Perturbation.Inverse,
        ["training-mean"] = Perturbation.TrainingMean,
    };

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model file.", Required = true, HelpName = "file" };
        var data = new Option<string[]>("--data", "-d") { Description = "Dataset files to evaluate on (pooled in order).", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true, HelpName = "file" };
        var methods = Choice.List("--methods", $"'all' or a list of: {string.Join(", ", AllNames)}. The random control is always added.", [.. AllNames.Select(n => new Choice<string>(n, n))], "all", all: true);
        var perturbation = Choice.List("--perturbation", $"'all' or a list of: {string.Join(", ", Perturbations.Keys)}.", [.. Perturbations.Keys.Select(n => new Choice<string>(n, n))], "zero", all: true);
        var items = new Option<string>("--items", "-i") { Description = "The series: indices and ranges (0,3 or 0-49), or 'all'.", DefaultValueFactory = _ => "all", HelpName = "list" };
        var steps = new Option<int>("--steps") { Description = "Curve steps of 2% of the cells each (25: up to 50%).", DefaultValueFactory = _ => new FaithfulnessOptions().Steps, HelpName = "n" };
        var mask = new Option<string?>("--mask") { Description = "The mask file of a planted-pattern set ('datasets synth'): adds a localisation table (mass inside the mask, top-k precision, planted channel found).", HelpName = "file" };
        var batchSize = new Option<int>("--batch-size") { Description = "Items per batch.", DefaultValueFactory = _ => 64, HelpName = "n" };
        var output = new Option<string>("--out", "-o") { Description = "The folder for faithfulness.csv, faithfulness.json and the curve pictures.", Required = true, HelpName = "folder" };
        var attribution = new AttributionArguments();
        var nonFinite = NonFiniteValues.Option();
        var command = new Command("faithfulness", "How far maps deserve belief: perturbation curves (MoRF, LeRF, insertion) and their scores for each method, next to a random control.")
        {
            model, data, methods, perturbation, items, steps, batchSize, output, mask, nonFinite,
        };
        foreach (var option in attribution.All)
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new Request(
                parse.GetRequiredValue(model), parse.GetRequiredValue(data), [.. parse.GetRequiredValue(methods).Select(m => m.Name).Append("random").Distinct()],
                [.. parse.GetRequiredValue(perturbation).Select(p => p.Name)], parse.GetRequiredValue(items),
                parse.GetValue(steps) is var n && n is >= 1 and <= 50 ? n : throw new UsageException($"--steps {n}: expected 1 to 50 (2% to 100% of the cells)."),
                parse.GetValue(batchSize) is var b && b >= 1 ? b : throw new UsageException($"--batch-size {b}: expected at least 1."),
                parse.GetRequiredValue(output), attribution, parse, parse.GetValue<bool>("--verbose"), parse.GetValue(mask),
                NonFiniteValues.Read(parse, nonFinite));
            return Task.FromResult(Run(context, request, cancellationToken));
        });
        return command;
    }

    private static IEnumerable<string> AllNames => CamCommand.Methods.Keys.Concat(AttributionArguments.Names);

    private sealed record Request(string ModelPath, IReadOnlyList<string> DataPaths, IReadOnlyList<string> Methods, IReadOnlyList<string> Perturbations,
        string Items, int Steps, int BatchSize, string Output, AttributionArguments Attribution, ParseResult Parse, bool Verbose, string? MaskPath, ReadOptions Read)
    {
        /// <summary>The seed of the attribution options.</summary>
        public int Seed => Parse.GetValue(Attribution.Seed);
    }

    private static int Run(CliContext context, Request request, CancellationToken cancellationToken)
    {
        using var classifier = TimeSeriesClassifier.Load(request.ModelPath);
        var (data, counts) = ModelData.ReadPooled(context, classifier, request.DataPaths, request.Read);
        classifier.CreateLoader(data).Dispose(); // the model/data check (channels, labels) before anything else
        var indices = CamCommand.ParseItems(request.Items, data, request.DataPaths, counts);
        var folder = Path.GetFullPath(request.Output);
        string[] outputs = ["faithfulness.csv", "faithfulness.json", "localisation.csv",
            .. request.Perturbations.SelectMany(p => new[] { $"faithfulness-{p}.png", $"faithfulness-{p}.svg" })];
        foreach (var name in outputs)
            OutputFiles.CheckNotInput("--out", Path.Combine(folder, name), [request.ModelPath, request.MaskPath, request.Parse.GetValue(request.Attribution.Train), .. request.DataPaths]);
        var methods = request.Methods.ToList();
        var needsTrain = request.Perturbations.Contains("training-mean");
        if (request.Parse.GetValue(request.Attribution.Train) is null && request.Methods.SequenceEqual(AllNames.Append("random").Distinct()) && methods.Remove("gradientshap"))
            CliContext.WriteLine(context.Output, "note: gradientshap left out: it draws its baselines from the training data; give --train to include it.");
        var attributionNames = methods.Where(AttributionArguments.Names.Contains).ToList();
        if (request.MaskPath is { } mask && FileKinds.NotAFile(mask) is { } problem)
            throw new InputFileException($"{mask}: {problem}");
        var truth = request.MaskPath is { } maskPath ? PlantedPatternSet.FromMaskCsv(data, File.ReadAllText(maskPath), maskPath) : null;
        var localisation = new List<(string Method, LocalisationScore Score)>();
        var train = request.Attribution.Prepare(attributionNames, request.Parse, data, needsTrain);

        CliContext.WriteLine(context.Output,
            $"model {Path.GetFileName(request.ModelPath)}: {classifier.DatasetName}; data {string.Join(" + ", request.DataPaths.Select(Path.GetFileName))}: {indices.Count} item(s); maps explain the predicted class");
        var explainer = new Explainer(classifier);
        var faithfulness = new Faithfulness(classifier);
        var curves = new List<FaithfulnessCurves>();
        var seconds = new Dictionary<string, double>();
        var prepared = classifier.Conform(data); // the series as the network takes them (resampled where the model does)
        var warned = false;
        foreach (var name in methods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var method = request.Attribution.Method(name, request.Parse);
            var clock = Stopwatch.StartNew();
            var explainOptions = new ExplainOptions
            {
                Method = method, ForceScale = false, Target = MapTarget.Predicted, Reference = train, Seed = request.Seed, BatchSize = request.BatchSize,
            };
            warned = warned || ModelWarnings.Memory(context, explainer.ExplanationMemory(prepared, explainOptions)); // one warning is enough
            var maps = explainer.Explain(data, indices, explainOptions, cancellationToken);
            var explainSeconds = clock.Elapsed.TotalSeconds;
            if (truth is not null)
                localisation.Add((method.Name, Localisation.Score(maps, truth)));
            if (request.Verbose && maps.Completeness is { } checks)
            {
                for (var k = 0; k < checks.Count; k++)
                {
                    CliContext.WriteLine(context.Output, string.Create(CultureInfo.InvariantCulture,
                        $"  {method.Name} item {maps.Items[k]}: sum {checks[k].Sum:0.0000} vs logit(x) - logit(baseline) {checks[k].Expected:0.0000}, gap {checks[k].Gap:0.0000} ({checks[k].RelativeGap:P2})"));
                }
            }
            foreach (var perturbation in request.Perturbations)
            {
                var faithfulnessOptions = new FaithfulnessOptions
                {
                    Perturbation = Perturbations[perturbation], Steps = request.Steps, BatchSize = request.BatchSize, Reference = train, Seed = request.Seed,
                };
                warned = warned || ModelWarnings.Memory(context, faithfulness.EvaluationMemory(prepared, maps, faithfulnessOptions));
                curves.Add(faithfulness.Evaluate(data, maps, faithfulnessOptions, cancellationToken));
            }
            seconds[method.Name] = explainSeconds;
            CliContext.WriteLine(context.Output, string.Create(CultureInfo.InvariantCulture,
                $"{method.Name}: maps in {explainSeconds:0.0} s ({indices.Count / Math.Max(explainSeconds, 1e-9):0.0} series/s), curves in {clock.Elapsed.TotalSeconds - explainSeconds:0.0} s"));
        }

        var rows = curves.Select(c => (Curves: c, Scores: FaithfulnessScores.Of(c))).ToList();
        foreach (var perturbation in request.Perturbations)
        {
            CliContext.WriteLine(context.Output, $"perturbation {perturbation} ({indices.Count} items, {request.Steps} steps of 2%):");
            TableWriter.Write(context, ["method", "DS", "DDS", "deletion AUC", "insertion AUC", "AUC-S~top", "AUC-S~bottom", "F"],
                [.. rows.Where(r => r.Curves.Perturbation == Perturbations[perturbation]).Select(r => (IReadOnlyList<string>)
                [
                    Spectre.Console.Markup.Escape(r.Curves.Method), F(r.Scores.Ds), F(r.Scores.Dds), F(r.Scores.DeletionAuc), F(r.Scores.InsertionAuc),
                    F(r.Scores.AucTop), F(r.Scores.AucBottom), F(r.Scores.FScore),
                ])], 1, 2, 3, 4, 5, 6, 7);
        }

        if (truth is not null)
        {
            CliContext.WriteLine(context.Output, $"localisation against {Path.GetFileName(request.MaskPath)} (chance: the mask's share of the cells):");
            TableWriter.Write(context, ["method", "mass inside", "top-k precision", "planted channel found"],
                [.. localisation.Select(l => (IReadOnlyList<string>)[Spectre.Console.Markup.Escape(l.Method), F(l.Score.MassInside), F(l.Score.TopKPrecision), double.IsNaN(l.Score.PlantedChannelFound) ? "n/a (time-only)" : F(l.Score.PlantedChannelFound)])], 1, 2, 3);
        }

        Directory.CreateDirectory(folder);
        var csv = new StringBuilder("perturbation,method,items,ds,dds,deletion_auc,insertion_auc,auc_top,auc_bottom,f_score\n");
        foreach (var (c, s) in rows)
        {
            csv.Append(Csv.Row([Name(c.Perturbation), c.Method, c.Items.Count.ToString(CultureInfo.InvariantCulture),
                Csv.Number(s.Ds), Csv.Number(s.Dds), Csv.Number(s.DeletionAuc), Csv.Number(s.InsertionAuc), Csv.Number(s.AucTop), Csv.Number(s.AucBottom), Csv.Number(s.FScore)])).Append('\n');
        }
        var csvPath = Path.Combine(folder, "faithfulness.csv");
        AtomicFile.WriteAllText(csvPath, csv.ToString());
        var json = new
        {
            model = Path.GetFullPath(request.ModelPath),
            data = request.DataPaths.Select(Path.GetFullPath).ToArray(),
            items = indices.Count,
            protocol = "cells ranked by signed map value (channel-steps for channel x time maps, steps for time-only maps); "
                + "MoRF/LeRF replace the top/bottom 2%..50%; insertion restores the top cells into a fully replaced series; probability of the predicted class; scores averaged over items",
            fractions = curves.Count > 0 ? curves[0].Fractions : [],
            results = rows.Select(r => new
            {
                perturbation = Name(r.Curves.Perturbation),
                method = r.Curves.Method,
                seconds = seconds.GetValueOrDefault(r.Curves.Method),
                scores = r.Scores,
                original = r.Curves.Original.Average(),
                morf = r.Curves.Mean(r.Curves.MostRelevantFirst),
                lerf = r.Curves.Mean(r.Curves.LeastRelevantFirst),
                insertion = r.Curves.Mean(r.Curves.Insertion),
            }),
        };
        if (truth is not null)
        {
            var table = new StringBuilder("method,items,mass_inside,top_k_precision,planted_channel_found\n");
            foreach (var (name, score) in localisation)
                table.Append(Csv.Row([name, score.Items.ToString(CultureInfo.InvariantCulture), Csv.Number(score.MassInside), Csv.Number(score.TopKPrecision), Csv.Number(score.PlantedChannelFound)])).Append('\n');
            var localisationPath = Path.Combine(folder, "localisation.csv");
            AtomicFile.WriteAllText(localisationPath, table.ToString());
            CliContext.WriteLine(context.Output, $"wrote {localisationPath}");
        }
        var jsonPath = Path.Combine(folder, "faithfulness.json");
        AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        CliContext.WriteLine(context.Output, $"wrote {csvPath}");
        CliContext.WriteLine(context.Output, $"wrote {jsonPath}");
        foreach (var perturbation in request.Perturbations)
        {
            using var figure = Pictures.PlotFaithfulness([.. curves.Where(c => c.Perturbation == Perturbations[perturbation])]);
            foreach (var path in figure.SavePngAndSvg(folder, $"faithfulness-{perturbation}"))
                CliContext.WriteLine(context.Output, $"wrote {path}");
        }
        return ExitCodes.Success;
    }

    private static string Name(Perturbation perturbation) => Perturbations.First(p => p.Value == perturbation).Key;

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
