namespace Chronoscope.Cli.Output;

/// <summary>
/// The checks every command makes on the files it will write, before any work: none is one of the command's inputs
/// (a data file, the model, the run record; links and hard links followed), and each can be written there
/// (<see cref="AtomicFile.CheckWritable"/>). <c>-</c> means standard output where a command says so.
/// </summary>
internal static class OutputFiles
{
    /// <summary>The name that stands for standard output.</summary>
    public const string StandardOutput = "-";

    /// <summary>
    /// Refuses <paramref name="path"/> (given with <paramref name="option"/>) when it is one of <paramref name="inputs"/>,
    /// a usage error; then checks it can be written (an <see cref="OutputFileException"/> if not).
    /// </summary>
    public static void Check(string option, string path, IEnumerable<string?> inputs)
    {
        if (path == StandardOutput)
            return;
        CheckNotInput(option, path, inputs);
        AtomicFile.CheckWritable(path);
    }

    /// <summary>
    /// Refuses <paramref name="path"/> when it is one of <paramref name="inputs"/>, a usage error, without creating its
    /// folder: for commands that may still refuse their input and then leave no folder behind.
    /// </summary>
    public static void CheckNotInput(string option, string path, IEnumerable<string?> inputs)
    {
        foreach (var input in inputs)
        {
            if (input is not null && AtomicFile.IsSameFile(path, input))
                throw new UsageException($"{option} {path}: expected a file to write, found {input}, an input of this command; writing it would destroy it. Give another name.");
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, or to standard output for <c>-</c>.</summary>
    public static void WriteAllText(CliContext context, string path, string text)
    {
        if (path == StandardOutput)
        {
            var writer = context.Output.Profile.Out.Writer;
            writer.Write(text);
            writer.Flush();
            return;
        }
        AtomicFile.WriteAllText(path, text);
    }
}
