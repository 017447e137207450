using System.Text;

namespace Chronoscope.Tests.TestSupport;

/// <summary>A folder of its own under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chronoscope-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark, exactly as given (no newline added).</summary>
    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Every file and folder under <paramref name="under"/> (default: this folder), as relative paths with '/' separators, sorted.</summary>
    public IReadOnlyList<string> Entries(string? under = null)
    {
        var root = under ?? Path;
        if (!Directory.Exists(root))
            return [];
        return Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(e => System.IO.Path.GetRelativePath(root, e).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
