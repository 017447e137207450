using System.Runtime.InteropServices;

namespace Chronoscope.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the real process. The first signal cancels the running command, which stops at its
/// next check and exits with 130 (SIGINT) or 143 (SIGTERM), files written so far complete. A second signal ends the
/// process at once with the same code, after removing the temporary files of writes in flight
/// (<see cref="AtomicFile.DeleteTemporaryFiles"/>), so no half-written file is left under any name, and killing the
/// processes it started and removing their scratch folders (<see cref="ChildProcesses"/>).
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly CliContext _context;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public TerminationSignals(CliContext context, CancellationToken outer)
    {
        _context = context;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = context.HandleTerminationSignals
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)]
            : [];
    }

    /// <summary>Cancelled by the first signal (or by the caller's token).</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The exit code of a cancelled command: 143 after SIGTERM, else 130.</summary>
    public int CancelledCode { get; private set; } = ExitCodes.Cancelled;

    private void Handle(PosixSignalContext signal)
    {
        signal.Cancel = true; // this process decides how to end, not the runtime's default
        var code = signal.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Cancelled;
        if (Interlocked.Increment(ref _received) == 1)
        {
            CancelledCode = code;
            // at once, so a person sees the signal was heard while the current batch finishes
            _context.WriteError(ChildProcesses.Any
                ? "stopping: the networks' processes end now, and nothing is written; a second signal stops at once." // train --parallel drops them
                : "stopping after the current batch; a second signal stops at once.");
            // The cancellation's callbacks (a parallel ensemble kills its networks and waits for them) run on the pool:
            // the handler returns at once, whatever they wait for.
            _ = _cancellation.CancelAsync();
            return;
        }
        AtomicFile.DeleteTemporaryFiles();
        ChildProcesses.KillAll();
        _context.WriteError("stopped at once: a second signal.");
        Console.Out.Flush();
        Console.Error.Flush();
        // _exit, not Environment.Exit: the runtime's orderly shutdown would tear libtorch down under its own running
        // threads (measured: a segmentation fault, exit 139, now and then). Nothing is left to flush or delete.
        try
        {
            ExitNow(CancelledCode);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Environment.Exit(CancelledCode);
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int code);

    public void Dispose()
    {
        // After a first signal the handlers stay until the process exits: a second signal that comes while it shuts
        // down still ends it as this class says, with the first one's code, not with the runtime's default for SIGTERM.
        if (Volatile.Read(ref _received) > 0)
            _ = GCHandle.Alloc(_registrations); // never freed: a collected registration would unregister itself
        else
        {
            foreach (var registration in _registrations)
                registration.Dispose();
        }
        _cancellation.Dispose();
    }
}
