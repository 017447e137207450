using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chronoscope.Cli;

/// <summary>
/// The processes this one has started and not yet seen end (<c>train --parallel</c>'s networks), and the scratch
/// folders they write in, so that a second termination signal, which ends this process at once, ends them too instead
/// of leaving them training unseen, and leaves no scratch folder behind.
/// </summary>
internal static class ChildProcesses
{
    /// <summary>How long <see cref="KillAll"/> waits for each killed process to end before removing the folders.</summary>
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    private static readonly ConcurrentDictionary<string, byte> Folders = new(StringComparer.Ordinal);

    /// <summary>Whether a command has processes or their folder registered: a first signal then ends them at once.</summary>
    public static bool Any => !Running.IsEmpty || !Folders.IsEmpty;

    public static void Add(Process process) => Running.TryAdd(process, 0);

    public static void Remove(Process process) => Running.TryRemove(process, out _);

    /// <summary>A folder the processes write in, removed by <see cref="KillAll"/> (the caller removes it otherwise).</summary>
    public static void AddFolder(string folder) => Folders.TryAdd(folder, 0);

    public static void RemoveFolder(string folder) => Folders.TryRemove(folder, out _);

    /// <summary>
    /// Kills every registered process and what it started, waits a moment for them to end (a process still writing
    /// would refill a folder being removed), then removes the registered folders.
    /// </summary>
    public static void KillAll()
    {
        var killed = new List<Process>();
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                killed.Add(process);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // already ended, or not ours to kill: nothing left to do
            }
        }
        foreach (var process in killed)
        {
            try
            {
                process.WaitForExit(EndWait);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // ended and disposed meanwhile
            }
        }
        foreach (var folder in Folders.Keys)
            DeleteFolder(folder);
    }

    /// <summary>Removes <paramref name="folder"/> and what it holds; false when something stays (the reason is the caller's to tell, from <paramref name="error"/>).</summary>
    public static bool DeleteFolder(string folder, Action<Exception>? error = null)
    {
        // A second signal's KillAll and the command's own end may remove the folder at the same moment: an entry the
        // other removed first fails this pass, and the next finds less or nothing.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!Directory.Exists(folder))
                    return true;
                if (attempt == 3)
                {
                    error?.Invoke(e);
                    return false;
                }
            }
        }
    }
}
