using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chronoscope.Cli;

/// <summary>
/// The processes this one has started and not yet seen end (<c>train --parallel</c>'s networks), so that a second
/// termination signal, which ends this process at once, ends them too instead of leaving them training unseen.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    public static void Add(Process process) => Running.TryAdd(process, 0);

    public static void Remove(Process process) => Running.TryRemove(process, out _);

    /// <summary>Kills every registered process and what it started, without waiting for them to end.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // already ended, or not ours to kill: nothing left to do
            }
        }
    }
}
