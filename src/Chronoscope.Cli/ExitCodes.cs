namespace Chronoscope.Cli;

/// <summary>The process exit codes of <c>chronoscope</c>, all in one place (the README's list of them says the same).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A problem with data, a model file or the environment (malformed file, unknown dataset, no network).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (unknown command or option, a missing argument, a value out of range).</summary>
    public const int Usage = 2;

    /// <summary>A bug: an exception nobody anticipated (sysexits' EX_SOFTWARE).</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C: 128 + SIGINT (2), as shells report it.</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM: 128 + SIGTERM (15), as shells report it.</summary>
    public const int Terminated = 143;
}
