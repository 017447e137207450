namespace Chronoscope.Cli;

/// <summary>A command line that parsed but makes no sense (e.g. a malformed URL template); reported like a parse error, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
