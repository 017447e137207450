using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Chronoscope;

/// <summary>
/// Writes files so that nobody ever sees half of one: into a temporary file beside the target, then a rename. What
/// stands at the path is respected: a symbolic link is followed and its target replaced (the link stays); a character
/// device (<c>/dev/null</c>, a terminal), a named pipe or a socket is written straight, never replaced by a file; a
/// folder, a block device or a loop of links is refused. Temporary files a killed run left beside a target
/// (<c>.name.&lt;32 hex&gt;.tmp</c>, older than this process) are removed by the next write into that folder.
/// Every failure is an <see cref="OutputFileException"/> naming the path.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>The temporary files of writes in progress, for <see cref="DeleteTemporaryFiles"/>.</summary>
    private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);

    /// <summary>Held while a temporary file is created and registered, and while they are all deleted.</summary>
    private static readonly Lock Creation = new();

    /// <summary>Set by <see cref="DeleteTemporaryFiles"/>: no temporary file is created after it.</summary>
    private static bool _closed;

    /// <summary>
    /// Deletes the temporary files of every write in progress: for a process about to end abruptly (a second Ctrl+C),
    /// so that no half-written file is left behind. The writes themselves then fail.
    /// </summary>
    public static void DeleteTemporaryFiles()
    {
        lock (Creation)
        {
            _closed = true;
            foreach (var temporary in InFlight.Keys)
                TryDelete(temporary);
        }
    }

    /// <summary>Writes <paramref name="path"/> by handing a stream on a temporary file to <paramref name="write"/>, then renaming it into place.</summary>
    /// <exception cref="OutputFileException">The file cannot be written there.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var (target, straight) = Resolve(path);
        if (straight)
        {
            try
            {
                using var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
                write(stream);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputFileException(path, $"cannot write: {IoErrors.Reason(e)}", e);
            }
        }

        var folder = CreateFolder(path, Path.GetDirectoryName(target)!);
        RemoveStaleTemporaryFiles(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = CreateTemporary(temporary))
            {
                write(stream);
                stream.Flush(flushToDisk: true); // the rename must never expose a file whose bytes are not on disk
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(path, $"cannot write: {IoErrors.Reason(e)}", e);
        }
        finally
        {
            TryDelete(temporary); // gone already after a successful rename
            InFlight.TryRemove(temporary, out _);
        }
    }

    /// <summary>Creates and registers a temporary file, unless the process is closing (<see cref="DeleteTemporaryFiles"/>).</summary>
    private static FileStream CreateTemporary(string temporary)
    {
        lock (Creation)
        {
            if (_closed)
                throw new OperationCanceledException("the process is ending: no file is written any more.");
            InFlight[temporary] = 0;
            return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Checks, before any long work, that <paramref name="path"/> can be written: what stands there is acceptable (see
    /// the class), its folder exists or can be created, and a file can be created in it.
    /// </summary>
    /// <exception cref="OutputFileException">It cannot, and why.</exception>
    public static void CheckWritable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (target, straight) = Resolve(path);
        if (straight)
            return;
        var folder = CreateFolder(path, Path.GetDirectoryName(target)!);
        var probe = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that exists yet answers "no such file" to a new one is a virtual file system's, such as /proc.
            var reason = e is FileNotFoundException ? "it takes no new files" : IoErrors.Reason(e);
            throw new OutputFileException(path, $"cannot write in {folder}: {reason}", e);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>
    /// True when <paramref name="first"/> and <paramref name="second"/> are the same existing file, however named
    /// (symbolic links followed, hard links and relative paths included).
    /// </summary>
    public static bool IsSameFile(string first, string second) =>
        FileKinds.Identity(first) is { } a && FileKinds.Identity(second) is { } b && a == b;

    /// <summary>The path to write and whether to write it straight (a device, a pipe) rather than through a rename.</summary>
    private static (string Target, bool Straight) Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        switch (kind)
        {
            case FileKind.CharacterDevice or FileKind.Fifo or FileKind.Socket:
                return (full, true);
            case FileKind.Directory or FileKind.BlockDevice or FileKind.LinkLoop:
                throw new OutputFileException(path, $"expected a file to write, found {FileKinds.Describe(kind)}; give a file name.");
        }
        FileSystemInfo? final;
        try
        {
            final = new FileInfo(full).LinkTarget is null ? null : File.ResolveLinkTarget(full, returnFinalTarget: true);
        }
        catch (IOException e)
        {
            throw new OutputFileException(path, $"cannot follow its symbolic link: {IoErrors.Reason(e)}", e);
        }
        if (final is null)
            return (full, false);
        // /dev/stdout and /dev/fd/N lead through /proc/self/fd/N to the file the shell opened: write into that open
        // file, as a shell's '>' would; replacing it would leave the shell's descriptor on the old, deleted file.
        if (final.FullName.StartsWith("/proc/", StringComparison.Ordinal))
            return (full, true);
        return (final.FullName, false);
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) when missing; a file in the way is named.</summary>
    private static string CreateFolder(string path, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            for (var part = folder; !string.IsNullOrEmpty(part); part = Path.GetDirectoryName(part))
            {
                var kind = FileKinds.Of(part);
                if (kind is not (FileKind.Missing or FileKind.Directory))
                    throw new OutputFileException(path, $"expected {part} to be a folder, found {FileKinds.Describe(kind)}.", e);
            }
            throw new OutputFileException(path, $"cannot create its folder {folder}: {IoErrors.Reason(e)}", e);
        }
    }

    /// <summary>Removes our temporary files older than this process from <paramref name="folder"/>: what a killed run left.</summary>
    private static void RemoveStaleTemporaryFiles(string folder)
    {
        try
        {
            var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
            {
                if (TemporaryName().IsMatch(Path.GetFileName(file)) && File.GetLastWriteTimeUtc(file) < started)
                    TryDelete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Cleaning up is a courtesy: a folder that cannot be listed is still written into.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the next write into this folder tries again.
        }
    }

    /// <summary>The temporary names <see cref="Write"/> makes: <c>.name.&lt;32 hex&gt;.tmp</c>.</summary>
    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
