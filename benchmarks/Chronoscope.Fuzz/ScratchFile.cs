namespace Chronoscope.Fuzz;

/// <summary>
/// The readers take a path, so each input is written to one file per process first: in
/// <c>$CHRONOSCOPE_FUZZ_SCRATCH</c> (run.sh points it at a tmpfs folder when there is one), else the temporary folder.
/// </summary>
internal static class ScratchFile
{
    public static string PathFor(string extension)
    {
        var folder = Environment.GetEnvironmentVariable("CHRONOSCOPE_FUZZ_SCRATCH");
        if (string.IsNullOrEmpty(folder))
            folder = System.IO.Path.GetTempPath();
        Directory.CreateDirectory(folder);
        return System.IO.Path.Combine(folder, $"input-{Environment.ProcessId}{extension}");
    }

    /// <summary>Writes all of <paramref name="input"/> to <paramref name="path"/>, replacing what was there.</summary>
    public static byte[] Write(string path, Stream input)
    {
        using var memory = new MemoryStream();
        input.CopyTo(memory);
        var bytes = memory.ToArray();
        File.WriteAllBytes(path, bytes);
        return bytes;
    }
}
