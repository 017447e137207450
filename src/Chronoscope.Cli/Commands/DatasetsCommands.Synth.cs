using System.CommandLine;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Data.Formats;

namespace Chronoscope.Cli.Commands;

internal static partial class DatasetsCommands
{
    private static readonly IReadOnlyDictionary<string, PlantedShape> Shapes = new Dictionary<string, PlantedShape>
    {
        ["bump"] = PlantedShape.Bump,
        ["step"] = PlantedShape.Step,
        ["sine-burst"] = PlantedShape.SineBurst,
    };

    /// <summary>
    /// <c>chronoscope datasets synth</c>: a planted-pattern set with known answers, as <c>NAME_TRAIN.ts</c> and
    /// <c>NAME_TEST.ts</c> plus <c>NAME_TRAIN_mask.csv</c> and <c>NAME_TEST_mask.csv</c> (where each series' pattern is).
    /// </summary>
    private static Command Synth(CliContext context)
    {
        var defaults = new PlantedPatternOptions();
        var output = new Option<string>("--out", "-o") { Description = "The folder to write the files to (created if needed).", Required = true, HelpName = "folder" };
        var name = new Option<string>("--name") { Description = "The dataset's name and file prefix.", DefaultValueFactory = _ => "Planted", HelpName = "name" };
        var train = new Option<int>("--train") { Description = "Training series.", DefaultValueFactory = _ => defaults.Count, HelpName = "count" };
        var test = new Option<int>("--test") { Description = "Test series.", DefaultValueFactory = _ => defaults.Count / 2, HelpName = "count" };
        var channels = new Option<int>("--channels") { Description = "Channels per series.", DefaultValueFactory = _ => defaults.Channels, HelpName = "count" };
        var length = new Option<int>("--length") { Description = "Steps per series.", DefaultValueFactory = _ => defaults.Length, HelpName = "steps" };
        var patternLength = new Option<int>("--pattern-length") { Description = "The planted pattern's length.", DefaultValueFactory = _ => defaults.PatternLength, HelpName = "steps" };
        var shape = Choice.Option("--shape", "The pattern.", [.. Shapes.Select(s => new Choice<PlantedShape>(s.Key, s.Value))], "bump");
        var planted = new Option<string?>("--planted-channels") { Description = $"The channels carrying the pattern, e.g. 1 or 0,2. [default: {string.Join(',', defaults.PlantedChannels)}; 0 for one channel]", HelpName = "list" };
        var amplitude = new Option<double>("--amplitude") { Description = "The pattern's height.", DefaultValueFactory = _ => defaults.Amplitude, HelpName = "value" }.Finite();
        var noise = new Option<double>("--noise") { Description = "The Gaussian noise's standard deviation.", DefaultValueFactory = _ => defaults.Noise, HelpName = "value" }.Finite();
        var seed = new Option<int>("--seed") { Description = "Seeds positions and noise (the test set uses seed + 1).", DefaultValueFactory = _ => 0, HelpName = "n" };
        var command = new Command("synth", "Write a synthetic set with a known answer: a pattern planted at random positions in chosen channels over noise, with the mask of planted steps.")
        {
            output, name, train, test, channels, length, patternLength, shape, planted, amplitude, noise, seed,
        };
        command.SetAction(parse =>
        {
            var datasetName = parse.GetRequiredValue(name);
            if (datasetName.Length == 0 || datasetName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || datasetName.Contains(' ', StringComparison.Ordinal))
                throw new UsageException($"--name {datasetName}: expected a file name without spaces or folders, e.g. Planted.");
            var trainCount = AtLeast("--train", parse.GetValue(train), 2);
            var testCount = AtLeast("--test", parse.GetValue(test), 2);
            var channelCount = AtLeast("--channels", parse.GetValue(channels), 1);
            var steps = AtLeast("--length", parse.GetValue(length), 2);
            var window = AtLeast("--pattern-length", parse.GetValue(patternLength), 1);
            if (window > steps)
                throw new UsageException($"--pattern-length {window}: longer than the series (--length {steps}); choose at most {steps}.");
            foreach (var (option, count) in new[] { ("--train", trainCount), ("--test", testCount) })
            {
                if ((long)count * channelCount * steps > MaxSynthValues)
                {
                    throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                        $"{option} {count} × --channels {channelCount} × --length {steps} = {(double)count * channelCount * steps:0.##e+0} values: expected at most {MaxSynthValues:N0} a split; make the set smaller."));
                }
            }
            var (shapeText, plantedShape) = parse.GetRequiredValue(shape);
            var plantedChannels = parse.GetValue(planted) is { } listed ? ParseChannels(listed, channelCount)
                : channelCount > defaults.PlantedChannels.Max() ? defaults.PlantedChannels : [0]; // one channel has only channel 0
            var height = parse.GetValue(amplitude);
            var sigma = parse.GetValue(noise);
            if (!double.IsFinite(height))
                throw new UsageException($"--amplitude {height}: expected a finite number.");
            if (!double.IsFinite(sigma) || sigma < 0)
                throw new UsageException($"--noise {sigma}: expected a finite number of 0 or more.");
            var options = new PlantedPatternOptions
            {
                Channels = channelCount, Length = steps, PatternLength = window, Shape = plantedShape,
                PlantedChannels = plantedChannels, Amplitude = height, Noise = sigma, Seed = parse.GetValue(seed),
            };
            var folder = Path.GetFullPath(parse.GetRequiredValue(output));
            Directory.CreateDirectory(folder);
            foreach (var (part, count, partSeed) in new[] { ("TRAIN", trainCount, options.Seed), ("TEST", testCount, options.Seed + 1) })
            {
                var set = PlantedPatternData.Create(options with { Count = count, Seed = partSeed }, datasetName);
                var ts = Path.Combine(folder, $"{datasetName}_{part}.ts");
                var mask = Path.Combine(folder, $"{datasetName}_{part}_mask.csv");
                AtomicFile.WriteAllText(ts, TsWriter.Format(set.Data));
                AtomicFile.WriteAllText(mask, set.MaskCsv());
                CliContext.WriteLine(context.Output, $"wrote {ts} ({count} series) and {mask}");
            }
            CliContext.WriteLine(context.Output, string.Create(CultureInfo.InvariantCulture,
                $"{datasetName}: {channelCount} channel(s) x {steps} steps; a {shapeText} of {window} steps, height {height}, in channel(s) {string.Join(',', plantedChannels)}, noise sd {sigma}; class 1 upright, class 0 upside down."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The most values a synthetic split may hold: 400 MB of floats, about a gigabyte of .ts text.</summary>
    private const long MaxSynthValues = 100_000_000;

    private static int AtLeast(string option, int value, int minimum) =>
        value >= minimum ? value : throw new UsageException($"{option} {value}: expected at least {minimum}.");

    private static IReadOnlyList<int> ParseChannels(string text, int channels)
    {
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c >= channels || result.Contains(c))
                throw new UsageException($"--planted-channels {text}: expected distinct channel indices from 0 to {channels - 1}, separated by commas.");
            result.Add(c);
        }
        return result;
    }
}
