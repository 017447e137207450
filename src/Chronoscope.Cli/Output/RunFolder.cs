using System.Globalization;

namespace Chronoscope.Cli.Output;

/// <summary>
/// The folder a run writes into: the one given with <c>--out</c>, or <c>./chronoscope-runs/&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>.
/// It is created before the work starts (so a folder that cannot be written fails at once, not after training) and
/// removed again when the run is abandoned, if this run created it and left nothing in it.
/// </summary>
internal sealed class RunFolder
{
    /// <summary>Where runs go when <c>--out</c> is not given, relative to the current folder.</summary>
    public const string DefaultParent = "chronoscope-runs";

    private RunFolder(string path, bool created)
    {
        Path = path;
        Created = created;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>True when this run created the folder (it did not exist before).</summary>
    public bool Created { get; }

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Creates <paramref name="requested"/>, or when it is null a new folder <c>chronoscope-runs/&lt;name&gt;-&lt;time&gt;</c>
    /// (with <c>-2</c>, <c>-3</c>... when two runs start within the same second).
    /// </summary>
    public static RunFolder Create(string? requested, string datasetName, DateTime now)
    {
        if (requested is not null)
        {
            var full = System.IO.Path.GetFullPath(requested);
            if (System.IO.File.Exists(full))
                throw new OutputFileException(requested, "expected a folder to write the run into (--out), found a file.");
            var existed = Directory.Exists(full);
            try
            {
                Directory.CreateDirectory(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var parent = System.IO.Path.GetDirectoryName(full);
                var reason = e is FileNotFoundException && Directory.Exists(parent) ? $"{parent} takes no new folders" : IoErrors.Reason(e);
                throw new OutputFileException(requested, $"cannot create the run folder (--out): {reason}.", e);
            }
            return new RunFolder(full, !existed);
        }
        var stem = System.IO.Path.GetFullPath(System.IO.Path.Combine(DefaultParent, DefaultName(datasetName, now)));
        for (var attempt = 1; ; attempt++)
        {
            var candidate = attempt == 1 ? stem : $"{stem}-{attempt.ToString(CultureInfo.InvariantCulture)}";
            if (!Directory.Exists(candidate) && !System.IO.File.Exists(candidate))
            {
                Directory.CreateDirectory(candidate);
                return new RunFolder(candidate, true);
            }
        }
    }

    /// <summary><c>GunPoint-20250131-142501</c>: the dataset's name (characters unfit for a file name replaced by '_') and the local time.</summary>
    public static string DefaultName(string datasetName, DateTime now)
    {
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        var safe = new string([.. datasetName.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c)]);
        return $"{(safe.Length == 0 ? "run" : safe)}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Removes <paramref name="notWritten"/>, files a run writes that it did not write this time (e.g. the report with
    /// <c>--no-report</c>), so that a folder trained into again never mixes two runs.
    /// </summary>
    public void RemoveStale(IEnumerable<string> notWritten)
    {
        foreach (var name in notWritten)
        {
            var path = File(name);
            if (System.IO.File.Exists(path))
                System.IO.File.Delete(path);
        }
    }

    /// <summary>Removes the folder if this run created it and it is empty; true when it did.</summary>
    public bool RemoveIfEmpty()
    {
        if (!Created || !Directory.Exists(Path) || Directory.EnumerateFileSystemEntries(Path).Any())
            return false;
        Directory.Delete(Path);
        return true;
    }
}
