using Chronoscope.Data.Formats;
namespace Chronoscope.Data.Archive;

/// <summary>
/// The on-disk layout of the cache: <c>&lt;cache&gt;/&lt;Name&gt;/&lt;Name&gt;_TRAIN.&lt;ext&gt;</c> and <c>_TEST</c>;
/// how a pair of files is found in a folder, and how a prepared folder is moved into place atomically.
/// </summary>
internal static class DatasetFolder
{
    /// <summary>
    /// The TRAIN/TEST pair of <paramref name="name"/> in <paramref name="folder"/> (file names compared without case), in
    /// the first preferred format present; else a pair without an extension (the UCR 2015 archive's layout) whose
    /// first line shows a preferred format; else null.
    /// </summary>
    public static (string Train, string Test, DatasetFormat Format)? FindPair(string folder, string name, IReadOnlyList<DatasetFormat> preference)
    {
        if (!Directory.Exists(folder))
            return null;
        var files = FilesByName(folder);
        foreach (var format in preference)
        {
            var extension = Extension(format);
            if (files.TryGetValue($"{name}_TRAIN{extension}", out var train) && files.TryGetValue($"{name}_TEST{extension}", out var test))
                return (train, test, format);
        }
        if (files.TryGetValue($"{name}_TRAIN", out var bareTrain) && files.TryGetValue($"{name}_TEST", out var bareTest)
            && DatasetReader.DetectFormat(bareTrain) is var shown && preference.Contains(shown))
            return (bareTrain, bareTest, shown);
        return null;
    }

    /// <summary>
    /// The names <c>X</c> of the <c>X_TRAIN</c> files in <paramref name="folder"/> (with a dataset extension or none),
    /// without case, in ordinal order: the datasets a folder may hold, before their TEST files are looked for.
    /// </summary>
    public static IReadOnlyList<string> TrainStems(string folder) =>
        FilesByName(folder).Keys
            .Where(f => Path.GetExtension(f) is var extension && (extension.Length == 0 || IsDatasetExtension(extension))
                && Path.GetFileNameWithoutExtension(f).EndsWith("_TRAIN", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetFileNameWithoutExtension(f)[..^"_TRAIN".Length])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The folder's files by name without case; of names differing only in case, the first in ordinal order.</summary>
    private static Dictionary<string, string> FilesByName(string folder) =>
        Directory.EnumerateFiles(folder)
            .GroupBy(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f, StringComparer.Ordinal).First(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The file extension of a format, with its dot.</summary>
    public static string Extension(DatasetFormat format) => format switch
    {
        DatasetFormat.Ts => ".ts",
        DatasetFormat.Arff => ".arff",
        DatasetFormat.Tsv => ".tsv",
        DatasetFormat.Txt => ".txt",
        DatasetFormat.Csv => ".csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Whether <paramref name="extension"/> (with its dot, any case) is a dataset format's.</summary>
    public static bool IsDatasetExtension(string extension) =>
        Enum.GetValues<DatasetFormat>().Any(format => Extension(format).Equals(extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>"<c>.ts</c>, <c>.arff</c>, <c>.tsv</c>, <c>.txt</c>, <c>.csv</c> or no extension" for messages: what <see cref="FindPair"/> looks for.</summary>
    public static string ExtensionList(IReadOnlyList<DatasetFormat> preference) =>
        $"{string.Join(", ", preference.Select(Extension))} or no extension";

    /// <summary>
    /// The sub-folder of <paramref name="cache"/> for <paramref name="name"/>: the exact spelling when it
    /// exists, else the one folder whose name matches without case, else null. Hidden (temporary) folders never match.
    /// </summary>
    public static string? FindInCache(string cache, string name)
    {
        var exact = Path.Combine(cache, name);
        if (Directory.Exists(exact))
            return exact;
        if (!Directory.Exists(cache))
            return null;
        return Directory.EnumerateDirectories(cache)
            .Where(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>The names of the cache's dataset folders (hidden temporary folders excluded).</summary>
    public static IReadOnlyList<string> CachedNames(string cache) =>
        Directory.Exists(cache)
            ? Directory.EnumerateDirectories(cache).Select(Path.GetFileName).OfType<string>()
                .Where(n => !n.StartsWith('.')).Order(StringComparer.OrdinalIgnoreCase).ToList()
            : [];

    /// <summary>A fresh hidden path in <paramref name="cache"/> for work in progress on <paramref name="name"/>; renamed or deleted when done.</summary>
    public static string TemporaryPath(string cache, string name, string suffix) =>
        Path.Combine(cache, $".{name}.{Guid.NewGuid():N}.{suffix}");

    /// <summary>
    /// Moves the prepared <paramref name="staged"/> folder to <paramref name="final"/> with one rename. When
    /// <paramref name="replace"/> is set an existing folder is first renamed aside, then deleted. Otherwise, if
    /// <paramref name="final"/> appeared meanwhile (another process won the race), the staged copy is deleted
    /// and the existing folder kept. Returns true when the staged folder was installed.
    /// </summary>
    public static bool Install(string staged, string final, bool replace)
    {
        if (replace && Directory.Exists(final))
        {
            var parent = Path.GetDirectoryName(final)!;
            var aside = TemporaryPath(parent, Path.GetFileName(final), "old");
            Directory.Move(final, aside);
            try
            {
                Directory.Move(staged, final);
            }
            catch
            {
                if (!Directory.Exists(final))
                    Directory.Move(aside, final);
                throw;
            }
            TryDeleteDirectory(aside);
            return true;
        }
        try
        {
            Directory.Move(staged, final);
            return true;
        }
        catch (IOException) when (Directory.Exists(final))
        {
            TryDeleteDirectory(staged);
            return false;
        }
    }

    /// <summary>
    /// Deletes the hidden work-in-progress entries of <paramref name="name"/> (<c>.Name.&lt;id&gt;.zip.partial</c>,
    /// <c>.tmp</c>, <c>.old</c>) last written more than <paramref name="age"/> ago: what a killed process left behind.
    /// </summary>
    public static void RemoveStaleTemporaries(string cache, string name, TimeSpan age)
    {
        var limit = DateTime.UtcNow - age;
        foreach (var entry in new DirectoryInfo(cache).EnumerateFileSystemInfos($".{name}.*"))
        {
            if (entry.LastWriteTimeUtc >= limit || !(entry.Name.EndsWith(".zip.partial", StringComparison.Ordinal)
                || entry.Name.EndsWith(".tmp", StringComparison.Ordinal) || entry.Name.EndsWith(".old", StringComparison.Ordinal)))
                continue;
            if (entry is DirectoryInfo)
                TryDeleteDirectory(entry.FullName);
            else
                TryDeleteFile(entry.FullName);
        }
    }

    /// <summary>Deletes a folder and what it holds, ignoring failure (for cleanup after an error).</summary>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes a file, ignoring failure (for cleanup after an error).</summary>
    public static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
