namespace Chronoscope.Data.Archive;

/// <summary>
/// UCR/UEA datasets by name. <see cref="GetAsync"/> looks in the cache folder, then in the copies embedded in
/// the library (GunPoint), then downloads the archive's zip, and returns where the TRAIN and TEST files are.
/// The cache folder is <c>$CHRONOSCOPE_DATA</c> when set, else <c>$XDG_CACHE_HOME/chronoscope/datasets</c>,
/// else <c>~/.cache/chronoscope/datasets</c> (on Windows and macOS: the local application data folder's
/// <c>chronoscope/datasets</c>). Each dataset lives in <c>&lt;cache&gt;/&lt;Name&gt;/</c> as
/// <c>&lt;Name&gt;_TRAIN.&lt;ext&gt;</c> and <c>&lt;Name&gt;_TEST.&lt;ext&gt;</c>; a dataset of one's own placed
/// there is found by its folder's name like any other.
/// </summary>
public static class Datasets
{
    /// <summary>The environment variable that sets the cache folder: <c>CHRONOSCOPE_DATA</c>.</summary>
    public const string CacheFolderVariable = "CHRONOSCOPE_DATA";

    /// <summary>The cache folder used when <see cref="DatasetSourceOptions.CacheFolder"/> is null, read from the environment on each call.</summary>
    public static string DefaultCacheFolder => ResolveCacheFolder(
        Environment.GetEnvironmentVariable,
        useXdg: !OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS(),
        home: Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        localApplicationData: Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData));

    /// <summary>The datasets embedded in the library (GunPoint, as ARFF), available without a network.</summary>
    public static IReadOnlyList<string> Embedded => EmbeddedDatasets.Names;

    /// <summary>
    /// Gets a dataset's files: from the cache folder when they are there, else from the library's embedded
    /// copy, else by downloading the archive's zip (see <see cref="DatasetSourceOptions"/>).
    /// </summary>
    /// <param name="name">A catalogued name (<see cref="DatasetCatalog"/>, any case) or the name of a folder in the cache.</param>
    /// <param name="options">Where to look and how to download; null for the defaults.</param>
    /// <param name="progress">Receives download events; nothing is reported when no download happens.</param>
    /// <param name="cancellationToken">Cancels a download; nothing half-written is left behind.</param>
    /// <exception cref="DatasetNotFoundException">The name is unknown, or its cache folder lacks a TRAIN/TEST pair.</exception>
    /// <exception cref="DatasetDownloadException">The dataset had to be downloaded and could not be.</exception>
    public static async Task<DatasetFiles> GetAsync(
        string name, DatasetSourceOptions? options = null, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new DatasetSourceOptions();
        var cache = CacheFolderOf(options);
        CheckName(name, cache);
        var catalogued = DatasetCatalog.TryFind(name, out var canonical);
        var embeddedName = name;
        var embedded = options.UseEmbedded && EmbeddedDatasets.TryFind(name, out embeddedName);
        if (embedded && !catalogued)
            canonical = embeddedName;

        if (!options.Force || !(catalogued || embedded))
        {
            var folder = DatasetFolder.FindInCache(cache, canonical);
            if (folder is not null)
            {
                var pair = DatasetFolder.FindPair(folder, canonical, options.FormatPreference)
                    ?? throw Incomplete(canonical, folder, options, catalogued || embedded);
                var folderName = catalogued || embedded ? canonical : Path.GetFileName(folder);
                return new DatasetFiles(folderName, folder, pair.Train, pair.Test, pair.Format, DatasetOrigin.Cache);
            }
        }

        if (embedded)
        {
            var folder = EmbeddedDatasets.Materialize(canonical, cache, options.Force, cancellationToken);
            var pair = DatasetFolder.FindPair(folder, canonical, options.FormatPreference)
                ?? throw Incomplete(canonical, folder, options, catalogued: true);
            return new DatasetFiles(canonical, folder, pair.Train, pair.Test, pair.Format, DatasetOrigin.Embedded);
        }

        if (!catalogued)
            throw Unknown(name, cache, options);

        return await DatasetDownloader.DownloadAsync(canonical, cache, options, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blocking form of <see cref="GetAsync"/>, for scripts and notebooks.</summary>
    public static DatasetFiles Get(
        string name, DatasetSourceOptions? options = null, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        GetAsync(name, options, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// The dataset's files when the cache folder already holds them, without writing or downloading anything;
    /// null otherwise (including for a folder that lacks its TRAIN/TEST pair).
    /// </summary>
    public static DatasetFiles? FindCached(string name, DatasetSourceOptions? options = null)
    {
        options ??= new DatasetSourceOptions();
        if (!IsValidName(name))
            return null;
        var cache = CacheFolderOf(options);
        var catalogued = DatasetCatalog.TryFind(name, out var canonical);
        var folder = DatasetFolder.FindInCache(cache, canonical);
        if (folder is null || DatasetFolder.FindPair(folder, canonical, options.FormatPreference) is not { } pair)
            return null;
        return new DatasetFiles(catalogued ? canonical : Path.GetFileName(folder), folder, pair.Train, pair.Test, pair.Format, DatasetOrigin.Cache);
    }

    /// <summary>
    /// True when <see cref="GetAsync"/> would download: the name is catalogued, and neither the cache (unless
    /// <see cref="DatasetSourceOptions.Force"/>) nor an embedded copy can answer. Lets a caller show progress only then.
    /// </summary>
    public static bool RequiresDownload(string name, DatasetSourceOptions? options = null)
    {
        options ??= new DatasetSourceOptions();
        if (!IsValidName(name) || !DatasetCatalog.Contains(name))
            return false;
        if (options.UseEmbedded && EmbeddedDatasets.TryFind(name, out _))
            return false;
        return options.Force || DatasetFolder.FindInCache(CacheFolderOf(options), name) is null;
    }

    /// <summary>The names of the cache folder's datasets (its sub-folders, whether complete or not).</summary>
    public static IReadOnlyList<string> CachedNames(DatasetSourceOptions? options = null) =>
        DatasetFolder.CachedNames(CacheFolderOf(options ?? new DatasetSourceOptions()));

    /// <summary>The cache folder that <paramref name="options"/> designate, as a full path.</summary>
    public static string CacheFolderOf(DatasetSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Path.GetFullPath(options.CacheFolder ?? DefaultCacheFolder);
        if (FileKinds.Of(folder) is var kind and not (FileKind.Directory or FileKind.Missing))
            throw new OutputFileException(folder, $"expected the dataset cache folder (set by {CacheFolderVariable}), found {FileKinds.Describe(kind)}; point {CacheFolderVariable} at a folder.");
        return folder;
    }

    /// <summary>The cache folder rule, with the environment passed in so that it can be tested.</summary>
    internal static string ResolveCacheFolder(Func<string, string?> environment, bool useXdg, string home, string localApplicationData)
    {
        var chosen = environment(CacheFolderVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
            return Path.GetFullPath(chosen);
        if (!useXdg)
            return Path.Combine(localApplicationData, "chronoscope", "datasets");
        // The XDG base directory specification says to ignore a relative XDG_CACHE_HOME.
        var xdg = environment("XDG_CACHE_HOME");
        return !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? Path.Combine(xdg, "chronoscope", "datasets")
            : Path.Combine(home, ".cache", "chronoscope", "datasets");
    }

    private static bool IsValidName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && !name.StartsWith('.') && name.Trim() == name
        && name.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|', '\0']) < 0;

    private static void CheckName(string name, string cache)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new DatasetNotFoundException(name, cache, [],
                $"'{name}' is not a dataset name: a name is a folder name in {cache} (no /, \\ or other special characters, not starting with '.'); to read files by path, pass the files themselves.");
        }
    }

    private static DatasetNotFoundException Unknown(string name, string cache, DatasetSourceOptions options)
    {
        var suggestions = DatasetCatalog.Suggest(name, DatasetCatalog.All.Concat(DatasetFolder.CachedNames(cache)).Concat(EmbeddedDatasets.Names));
        var guess = suggestions.Count > 0 ? $"; did you mean {string.Join(", ", suggestions)}?" : ".";
        var folder = Path.Combine(cache, name);
        return new DatasetNotFoundException(name, folder, suggestions,
            $"unknown dataset '{name}'{guess} It is not one of the {DatasetCatalog.All.Count} UCR/UEA names and {cache} has no folder of that name; "
            + $"a dataset of your own goes in {folder}{Path.DirectorySeparatorChar} as {name}_TRAIN and {name}_TEST files ({DatasetFolder.ExtensionList(options.FormatPreference)}).");
    }

    private static DatasetNotFoundException Incomplete(string name, string folder, DatasetSourceOptions options, bool catalogued)
    {
        var held = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var listing = held.Count == 0 ? "it is empty"
            : $"it holds {string.Join(", ", held.Take(6))}{(held.Count > 6 ? $" and {held.Count - 6} more" : "")}";
        var fix = catalogued ? "add the missing files, or delete the folder to get the dataset again" : "add the missing files";
        return new DatasetNotFoundException(name, folder, [],
            $"{folder} has no {name}_TRAIN and {name}_TEST files ({DatasetFolder.ExtensionList(options.FormatPreference)}); {listing}; {fix}.");
    }
}
