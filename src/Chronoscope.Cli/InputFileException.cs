namespace Chronoscope.Cli;

/// <summary>A file or folder named on the command line that is missing or unfit, with a message of our own; exit code 1.</summary>
internal sealed class InputFileException(string message) : Exception(message);
