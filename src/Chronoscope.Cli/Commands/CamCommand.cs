using System.CommandLine;
using System.Globalization;
using Chronoscope.Cli.Output;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Plotting;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>chronoscope cam</c>: class activation maps of a saved model over series of data files, as a picture (PNG and SVG)
/// and a CSV of the maps. Many items (<c>--items all</c>) are explained batch by batch with the CSV streamed to disk.
/// </summary>
internal static partial class CamCommand
{
    /// <summary>Items drawn at most; beyond this a figure is unreadable and only the CSV is written.</summary>
    public const int MaxFigureItems = 16;

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model file (written by 'chronoscope train' or Learner.Save).", Required = true, HelpName = "file" };
        var data = new Option<string[]>("--data", "-d")
        {
            Description = "Dataset files (.arff, .ts, .tsv, .txt, .csv); several are pooled in order, item indices running across them.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "file",
        };
        var items = new Option<string>("--items", "-i") { Description = "The series to explain: indices and ranges (0,3 or 0-4,10), or 'all'; more than 16 get the CSV only.", Required = true, HelpName = "list" };
        var method = Choice.Option("--method", $"The map method: {string.Join(", ", Methods.Keys)} (time-only maps of a layer), or {string.Join(", ", AttributionArguments.Names)} (channel x time maps of the input).",
            [.. Methods.Keys.Concat(AttributionArguments.Names).Select(n => new Choice<string>(n, n))], "gradcam", "name");
        var attribution = new AttributionArguments();
        var reduction = Choice.Option<Reduction>("--reduction", "How cam, gradcam and gradcam-paper reduce the activations over channels.", r => r.Name());
        var colormap = Choice.Option("--cmap", $"One of matplotlib's {Colormap.Names.Count} colormaps by name, e.g. seismic, viridis, hot_r.",
            [.. Colormap.Names.Select(n => new Choice<string>(n, n))], new CamPlotOptions().Colormap, "name");
        var multiFigure = new Option<bool>("--multi-fig") { Description = "One panel per item in a grid instead of one panel for all." };
        var scatter = new Option<bool>("--scatter") { Description = "Points coloured by the map instead of a coloured line." };
        var raw = new Option<bool>("--raw") { Description = "Keep raw map values (colour scale from their smallest to largest) instead of scaling each map." };
        var scaleRange = new Option<string>("--scale-range") { Description = "The range each map is scaled to.", DefaultValueFactory = _ => "0,1", HelpName = "low,high" };
        var layer = new Option<int?>("--layer") { Description = "The layer explained; default the last Inception block (5).", HelpName = "index" }.Whole();
        var target = new Option<string>("--target") { Description = "The class gradients explain: label (the true class), predicted, or a class (label or name).", DefaultValueFactory = _ => "label", HelpName = "class" };
        var classNames = new Option<string?>("--class-names") { Description = "Readable class names by label (1=Gun,2=Point) or in class order (Gun,Point).", HelpName = "names" };
        var confidence = new Option<bool>("--confidence") { Description = "Show the model's probability for each explained class in the titles." };
        var lineWidth = new Option<double>("--line-width") { Description = "Line width in points.", DefaultValueFactory = _ => new CamPlotOptions().LineWidth, HelpName = "points" }.Finite();
        var lineStyle = Choice.Option<SeriesLineStyle>("--line-style", "The line's style.", style => style.ToString().ToLowerInvariant());
        var view = Choice.Option<CamView>("--view",
            $"How channels are drawn: lines (one panel per channel, the series coloured by its map), strips (one heat strip per channel), or auto (lines up to {CamPlotOptions.MaxLineChannels} channels, strips above).",
            v => v.ToString().ToLowerInvariant());
        var channelNames = new Option<string?>("--channel-names") { Description = "Names of the data's channels in order, e.g. accX,accY,accZ (the archive's files name none); shown in the pictures and the CSV.", HelpName = "names" };
        var markerSize = new Option<double>("--marker-size") { Description = "Point diameter with --scatter, in points.", DefaultValueFactory = _ => new CamPlotOptions().MarkerSize, HelpName = "points" }.Finite();
        var alpha = new Option<double>("--alpha") { Description = "Opacity of lines and points, 0 to 1.", DefaultValueFactory = _ => 1.0, HelpName = "value" }.Finite();
        var size = new Option<string?>("--size") { Description = "Figure size in inches, e.g. 6x4 (default 6x4, or 13 wide and 4 per row with --multi-fig).", HelpName = "WxH" };
        var batchSize = new Option<int>("--batch-size") { Description = "Series per forward/backward pass.", DefaultValueFactory = _ => 64, HelpName = "n" }.AtLeast(1, OptionRanges.MaxBatchSize);
        var output = new Option<string>("--out", "-o") { Description = "The folder for <name>.png, .svg and .csv (columns item,label,explained,predicted,confidence,t0,t1,..., then member_sd_t0,... for an ensemble); created if missing.", Required = true, HelpName = "folder" };
        var nonFinite = NonFiniteValues.Option();
        var name = new Option<string?>("--name") { Description = "The files' name without extension; default cam-<method>[-<reduction>].", HelpName = "name" };

        var command = new Command("cam", "Class activation maps: which time steps drove a model's decisions, drawn over the series (PNG, SVG) and written as CSV.")
        {
            model, data, items, method, reduction, colormap, multiFigure, scatter, raw, scaleRange, layer, target, classNames,
            confidence, lineWidth, lineStyle, view, channelNames, markerSize, alpha, size, batchSize, output, name, nonFinite,
        };
        foreach (var option in attribution.All)
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) =>
        {
            // Everything runs on the calling thread: TorchSharp's dispose scopes are per thread.
            // The library's options straight from the command line; what needs the model or the data is set in Run.
            var methodName = parse.GetRequiredValue(method).Value;
            var inches = ParseSize(parse.GetValue(size));
            var explain = new ExplainOptions
            {
                Method = attribution.Method(methodName, parse),
                Reduction = parse.GetRequiredValue(reduction).Value,
                Layer = parse.GetValue(layer),
                ForceScale = !parse.GetValue(raw),
                ScaleRange = ParseScaleRange(parse.GetRequiredValue(scaleRange), parse.GetResult(scaleRange) is { Implicit: false }, parse.GetValue(raw)),
                Seed = parse.GetValue(attribution.Seed),
                BatchSize = parse.GetValue(batchSize),
            };
            var plot = new CamPlotOptions
            {
                Colormap = parse.GetRequiredValue(colormap).Value,
                LineWidth = Positive("--line-width", parse.GetValue(lineWidth)),
                LineStyle = parse.GetRequiredValue(lineStyle).Value,
                View = parse.GetRequiredValue(view).Value,
                Alpha = ParseAlpha(parse.GetValue(alpha)),
                Scatter = parse.GetValue(scatter),
                MarkerSize = Positive("--marker-size", parse.GetValue(markerSize)),
                Layout = parse.GetValue(multiFigure) ? CamLayout.Grid : CamLayout.Overlay,
                WidthInches = inches?.Width,
                HeightInches = inches?.Height,
                ClassNames = ParseClassNames(parse.GetValue(classNames)),
                ShowConfidence = parse.GetValue(confidence),
            };
            var request = new CamRequest
            {
                ModelPath = parse.GetRequiredValue(model),
                DataPaths = parse.GetRequiredValue(data),
                Read = NonFiniteValues.Read(parse, nonFinite),
                Items = parse.GetRequiredValue(items),
                ChannelNames = ParseChannelNames(parse.GetValue(channelNames)),
                MethodName = methodName,
                ReductionGiven = parse.GetResult(reduction) is { Implicit: false },
                Target = parse.GetRequiredValue(target),
                OutputFolder = parse.GetRequiredValue(output),
                Name = ParseName(parse.GetValue(name)),
                Verbose = parse.GetValue<bool>("--verbose"),
            };
            var folderExisted = Directory.Exists(request.OutputFolder);
            try
            {
                return Task.FromResult(Run(context, request, explain, plot, reference => attribution.Prepare([methodName], parse, reference, needsTrain: false), cancellationToken));
            }
            catch
            {
                // The folder this run made for its output, left empty by an error or Ctrl+C (checked here, after the
                // temporary CSV was removed while unwinding, not in a filter, which runs before that).
                if (!folderExisted && Directory.Exists(request.OutputFolder) && !Directory.EnumerateFileSystemEntries(request.OutputFolder).Any())
                    Directory.Delete(request.OutputFolder);
                throw;
            }
        });
        return command;
    }

    /// <summary>
    /// What the command line says beyond <see cref="ExplainOptions"/> and <see cref="CamPlotOptions"/>: the files, the
    /// items and the target (checked against the data and the model in <see cref="Run"/>), the output's name.
    /// </summary>
    private sealed record CamRequest
    {
        public required string ModelPath { get; init; }
        public required IReadOnlyList<string> DataPaths { get; init; }
        public required ReadOptions Read { get; init; }
        public required string Items { get; init; }
        public required IReadOnlyList<string>? ChannelNames { get; init; }
        public required string MethodName { get; init; }
        public required bool ReductionGiven { get; init; }
        public required string Target { get; init; }
        public required string OutputFolder { get; init; }
        public required string? Name { get; init; }
        public required bool Verbose { get; init; }
    }

    /// <summary>
    /// Explains and draws: <paramref name="explain"/> gains what needs the model and the data (the layer checked, the
    /// target resolved, and for input attributions the training data <paramref name="reference"/> reads and checks).
    /// </summary>
    private static int Run(CliContext context, CamRequest request, ExplainOptions explain, CamPlotOptions plot,
        Func<TimeSeriesDataset, TimeSeriesDataset?> reference, CancellationToken cancellationToken)
    {
        using var classifier = TimeSeriesClassifier.Load(request.ModelPath);
        var (data, counts) = ModelData.ReadPooled(context, classifier, request.DataPaths, request.Read);
        data = WithChannelNames(data, request.ChannelNames);
        var indices = ParseItems(request.Items, data, request.DataPaths, counts);
        var names = ResolveClassNames(plot.ClassNames, classifier.Classes);
        var method = explain.Method;
        var rows = method.IsInputAttribution ? data.Channels : 1;
        var options = explain with
        {
            Reference = method.IsInputAttribution ? reference(data) : null,
            Layer = CheckLayer(explain.Layer, classifier),
            Target = ParseTarget(request.Target, classifier.Classes, names),
        };
        var baseName = request.Name ?? (method.UsesReduction ? $"cam-{request.MethodName}-{options.Reduction.Name()}" : $"cam-{request.MethodName}");
        var folder = Path.GetFullPath(request.OutputFolder);
        var csvPath = Path.Combine(folder, baseName + ".csv");
        foreach (var extension in (string[])[".csv", ".png", ".svg"])
            OutputFiles.Check("--out", Path.Combine(folder, baseName + extension), [request.ModelPath, .. request.DataPaths]);

        var layer = options.Layer!.Value;
        CliContext.WriteLine(context.Output,
            $"model {Path.GetFileName(request.ModelPath)}: {classifier.DatasetName}, classes {DescribeClasses(classifier.Classes, names)}; layer {layer} ({classifier.Model.DescribeLayer(layer)})");
        CliContext.WriteLine(context.Output,
            $"data {string.Join(" + ", request.DataPaths.Select(Path.GetFileName))}: {Count(data.Count, "series", "series")}; explaining {Count(indices.Count, "item", "items")}");
        if (classifier.IsEnsemble)
            CliContext.WriteLine(context.Output, $"ensemble of {classifier.Members.Count} networks: each map is the mean of their maps; member_sd_t* in the CSV is their standard deviation at each step.");
        var note = new Style(Color.Yellow);
        if (request.ReductionGiven && !method.UsesReduction)
            CliContext.WriteLine(context.Output, $"note: {method.Name} uses no reduction; --reduction is ignored.", note);
        if (data.Labels is null && options.Target.Kind == MapTargetKind.Label)
            CliContext.WriteLine(context.Output, "note: the data is unlabelled, so each map explains the predicted class.", note);
        if (layer > classifier.Model.LastBlock && Methods.Values.Contains(method))
            CliContext.WriteLine(context.Output,
                $"note: layer {layer} ({classifier.Model.DescribeLayer(layer)}) has no time axis, so each map is one value spread over every step: flat. Layers 0-{classifier.Model.LastBlock} keep the time axis.", note);

        var explainer = new Explainer(classifier);
        var source = string.Join(" + ", request.DataPaths);
        using var loader = classifier.CreateLoader(data, options.BatchSize);
        ModelWarnings.Memory(context, explainer.ExplanationMemory(loader.Dataset, options));
        if (indices.Count <= MaxFigureItems)
        {
            var maps = explainer.Explain(loader, indices, options);
            ModelWarnings.NonFinite(context, maps, source);
            CliContext.WriteLine(context.Output, Describe(maps, request));
            AtomicFile.Write(csvPath, stream =>
            {
                using var csv = new ActivationMapsCsv(stream, data.Length, rows, data.ChannelNames, classifier.IsEnsemble);
                csv.Write(maps);
            });
            WriteTable(context, maps, names);
            using var figure = Pictures.ShowCam(maps, plot);
            foreach (var path in figure.SavePngAndSvg(folder, baseName))
                CliContext.WriteLine(context.Output, $"wrote {path}");
            if (maps.Channels > 1)
            {
                using var importance = Pictures.PlotChannelImportance(maps, names);
                foreach (var path in importance.SavePngAndSvg(folder, baseName + "-channels"))
                    CliContext.WriteLine(context.Output, $"wrote {path}");
            }
            WriteCompleteness(context, maps, request.Verbose);
        }
        else
        {
            var (description, right, labelled, nonFinite) = StreamCsv(context, request, explainer, loader, indices, options, csvPath, cancellationToken);
            ModelWarnings.NonFinite(context, nonFinite, source);
            CliContext.WriteLine(context.Output, description);
            if (labelled > 0)
                CliContext.WriteLine(context.Output, string.Create(CultureInfo.InvariantCulture, $"predicted {right:N0} of {labelled:N0} labelled items right ({(double)right / labelled * 100:0.0}%)"));
            CliContext.WriteLine(context.Output, $"no figure: {indices.Count} items are more than {MaxFigureItems} to draw; choose at most {MaxFigureItems} with --items to get one.");
        }
        CliContext.WriteLine(context.Output, $"wrote {csvPath}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Explains <paramref name="indices"/> one batch at a time, appending each batch's rows to the CSV as it comes (only
    /// one batch of maps is ever in memory), behind a temporary file renamed into place at the end. Returns how many
    /// labelled items were predicted right (an item without a prediction is not), how many were labelled, and the items
    /// on which the network's output is not finite.
    /// </summary>
    private static (string Description, int Right, int Labelled, IReadOnlyList<int> NonFinite) StreamCsv(
        CliContext context, CamRequest request, Explainer explainer, DataLoader loader, IReadOnlyList<int> indices, ExplainOptions options, string csvPath, CancellationToken cancellationToken)
    {
        var (description, right, labelled) = ("", 0, 0);
        var nonFinite = new List<int>();
        ItemProgress.Run(context, "explaining", indices.Count, progress => AtomicFile.Write(csvPath, stream =>
        {
            using var csv = new ActivationMapsCsv(stream, loader.Dataset.Length, options.Method.IsInputAttribution ? loader.Dataset.Channels : 1, loader.Dataset.ChannelNames, explainer.Classifier.IsEnsemble);
            var done = 0;
            foreach (var chunk in indices.Chunk(options.BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var maps = explainer.Explain(loader, chunk, options);
                if (done == 0)
                    description = Describe(maps, request);
                csv.Write(maps);
                nonFinite.AddRange(ModelWarnings.Items(maps));
                for (var k = 0; k < maps.Count && maps.Labels is { } labels; k++)
                {
                    labelled++;
                    right += maps.Predicted(k) == labels[k] && !maps.NonFinite.Contains(k) ? 1 : 0;
                }
                done += chunk.Length;
                progress(done);
            }
        }));
        return (description, right, labelled, nonFinite);
    }

    /// <summary>With --verbose, Integrated Gradients' completeness per item: the attributions' sum against logit(x) − logit(baseline).</summary>
    private static void WriteCompleteness(CliContext context, ActivationMaps maps, bool verbose)
    {
        if (!verbose || maps.Completeness is not { } checks)
            return;
        for (var k = 0; k < checks.Count; k++)
        {
            CliContext.WriteLine(context.Output, string.Create(CultureInfo.InvariantCulture,
                $"completeness item {maps.Items[k]}: sum {checks[k].Sum:0.0000}, logit(x) - logit(baseline) {checks[k].Expected:0.0000}, gap {checks[k].Gap:0.0000} ({checks[k].RelativeGap:P2})"));
        }
    }

    /// <summary>One row per item: its true class, the class explained, the prediction and the confidence, with display names.</summary>
    private static void WriteTable(CliContext context, ActivationMaps maps, IReadOnlyList<string> names)
    {
        var rows = new List<IReadOnlyList<string>>();
        for (var k = 0; k < maps.Count; k++)
        {
            var marked = maps.NonFinite.Contains(k);
            rows.Add(
            [
                maps.Items[k].ToString(CultureInfo.InvariantCulture),
                Markup.Escape(maps.Labels is { } labels ? names[labels[k]] : "?"),
                Markup.Escape(names[maps.ExplainedClasses[k]]),
                marked ? ModelWarnings.NoPrediction : Markup.Escape(names[maps.Predicted(k)]),
                marked ? ModelWarnings.NoPrediction : (maps.Confidence(k) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
            ]);
        }
        TableWriter.Write(context, ["item", "label", "explained", "predicted", "confidence"], rows, 0, 4);
    }

    /// <summary>What the maps are: <c>GRAD-CAM - mean, target label, each map scaled to 0..1</c>.</summary>
    private static string Describe(ActivationMaps maps, CamRequest request)
    {
        var scale = maps.Scaled
            ? string.Create(CultureInfo.InvariantCulture, $"each map scaled to {maps.Low}..{maps.High}")
            : "raw values";
        return $"{maps.Title}, target {request.Target}, {scale}";
    }

    /// <summary><c>1, 2</c>, or with names <c>1 (Gun), 2 (Point)</c>.</summary>
    private static string DescribeClasses(IReadOnlyList<string> classes, IReadOnlyList<string> names) =>
        string.Join(", ", classes.Select((label, k) => names[k] == label ? label : $"{label} ({names[k]})"));

    private static string Count(int count, string one, string many) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
