using System.CommandLine;
using Chronoscope.Cli.Output;
using Chronoscope.Data.Archive;
using Spectre.Console;

namespace Chronoscope.Cli.Commands;

/// <summary><c>chronoscope datasets list | download | info</c>: the UCR/UEA catalogue, the cache folder, downloads.</summary>
internal static partial class DatasetsCommands
{
    public static Command Create(CliContext context)
    {
        var datasets = new Command("datasets", "List, download and describe UCR/UEA datasets.");
        datasets.Subcommands.Add(List(context));
        datasets.Subcommands.Add(Download(context));
        datasets.Subcommands.Add(Info(context));
        datasets.Subcommands.Add(Synth(context));
        return datasets;
    }

    private static Command List(CliContext context)
    {
        var univariate = new Option<bool>("--univariate") { Description = "Only the 128 UCR univariate problems." };
        var multivariate = new Option<bool>("--multivariate") { Description = "Only the 30 UEA multivariate problems." };
        var cached = new Option<bool>("--cached") { Description = "Only the datasets in the cache folder now." };
        var command = new Command("list", "List the catalogue's datasets and where each is available: cached, embedded, or to download.")
        {
            univariate, multivariate, cached,
        };
        command.SetAction(parse =>
        {
            var options = context.DatasetOptions;
            var wantUnivariate = parse.GetValue(univariate);
            var wantMultivariate = parse.GetValue(multivariate);
            var onlyCached = parse.GetValue(cached);

            // The catalogue, then folders of one's own in the cache (kind "custom").
            var rows = DatasetCatalog.All
                .Select(name => (Name: name, Kind: DatasetCatalog.KindOf(name)!.Value.ToString().ToLowerInvariant()))
                .Concat(Datasets.CachedNames(options).Where(n => !DatasetCatalog.Contains(n)).Select(n => (Name: n, Kind: "custom")))
                .Where(r => (!wantUnivariate && !wantMultivariate)
                    || (wantUnivariate && r.Kind == "univariate") || (wantMultivariate && r.Kind == "multivariate"))
                .Select(r => (r.Name, r.Kind, Available: Availability(r.Name, options)))
                .Where(r => !onlyCached || r.Available.Cached)
                .ToList();

            TableWriter.Write(context, ["Name", "Kind", "Available"],
                [.. rows.Select(r => (IReadOnlyList<string>)[Markup.Escape(r.Name), r.Kind, r.Available.Markup])]);

            var cacheFolder = Datasets.CacheFolderOf(options);
            var cachedCount = rows.Count(r => r.Available.Cached);
            CliContext.WriteLine(context.Output,
                $"{Count(rows.Count, "dataset")}, {cachedCount} in the cache folder {cacheFolder} (set {Datasets.CacheFolderVariable} to move it).");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>"cached (ts)", "embedded" or "download", with a colour on terminals.</summary>
    private static (bool Cached, string Markup) Availability(string name, DatasetSourceOptions options)
    {
        if (Datasets.FindCached(name, options) is { } files)
            return (true, $"[green]cached[/] ({files.Format.ToString().ToLowerInvariant()})");
        if (!DatasetCatalog.Contains(name) && Datasets.CachedNames(options).Contains(name, StringComparer.OrdinalIgnoreCase))
            return (true, "[yellow]incomplete[/] (no TRAIN/TEST pair)");
        if (Datasets.Embedded.Contains(name, StringComparer.OrdinalIgnoreCase))
            return (false, "[cyan]embedded[/]");
        return (false, "[grey]download[/]");
    }

    private static Command Download(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A dataset's name, as 'chronoscope datasets list' shows it (any case)." };
        var force = new Option<bool>("--force") { Description = "Get the dataset again even when it is cached, replacing its folder." };
        var from = new Option<string[]>("--from")
        {
            Description = "A URL template to download from instead of the archive's, {0} standing for the name (e.g. https://mirror.example/{0}.zip); repeat to try several in order.",
            HelpName = "url",
        };
        var command = new Command("download", "Download a dataset into the cache folder (or copy the embedded one) and show its files.")
        {
            name, force, from,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = context.DatasetOptions with { Force = parse.GetValue(force) };
            if (parse.GetValue(from) is { Length: > 0 } urls)
            {
                if (urls.FirstOrDefault(u => !DatasetDownloader.IsUrlTemplate(u)) is { } malformed)
                    throw new UsageException($"--from {malformed}: expected an http or https URL with {{0}} where the dataset's name goes, e.g. https://mirror.example/{{0}}.zip.");
                options = options with { DownloadUrls = urls, UseEmbedded = false };
            }
            var files = await DownloadReporter.GetAsync(context, parse.GetRequiredValue(name), options, cancellationToken).ConfigureAwait(false);
            var origin = files.Origin switch
            {
                DatasetOrigin.Downloaded => $"downloaded from {files.Url}",
                DatasetOrigin.Embedded => "copied from the library's embedded copy",
                _ => "already in the cache (--force gets it again)",
            };
            CliContext.WriteLine(context.Output, $"{files.Name}: {origin}");
            WriteFiles(context, files);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The folder and the TRAIN/TEST files with their sizes, aligned.</summary>
    private static void WriteFiles(CliContext context, DatasetFiles files)
    {
        TableWriter.Write(context, null,
        [
            ["folder", Markup.Escape(files.Folder)],
            ["train", Markup.Escape(Path.GetFileName(files.TrainPath)), Sizes.Format(new FileInfo(files.TrainPath).Length)],
            ["test", Markup.Escape(Path.GetFileName(files.TestPath)), Sizes.Format(new FileInfo(files.TestPath).Length)],
        ], 2);
    }

    /// <summary>"1 dataset", "158 datasets".</summary>
    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
