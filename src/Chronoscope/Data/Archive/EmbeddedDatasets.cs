using System.Reflection;

namespace Chronoscope.Data.Archive;

/// <summary>
/// Datasets shipped inside Chronoscope.dll as manifest resources named <c>datasets/&lt;Name&gt;/&lt;file&gt;</c>
/// (see the library's project file), so the default dataset works without a network.
/// </summary>
internal static class EmbeddedDatasets
{
    private const string Prefix = "datasets/";

    private static readonly Assembly Library = typeof(EmbeddedDatasets).Assembly;

    /// <summary>Embedded file names per dataset: name → resource names.</summary>
    private static readonly Dictionary<string, string[]> Resources = Library.GetManifestResourceNames()
        .Where(r => r.StartsWith(Prefix, StringComparison.Ordinal) && r.Count(c => c == '/') == 2)
        .GroupBy(r => r.Split('/')[1], StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The embedded datasets' names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Resources.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Finds an embedded dataset ignoring case and gives its spelling.</summary>
    public static bool TryFind(string name, out string embeddedName)
    {
        var match = Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        embeddedName = match ?? name;
        return match is not null;
    }

    /// <summary>
    /// Writes the embedded files of <paramref name="name"/> into a hidden folder of <paramref name="cache"/>,
    /// then renames it to <c>&lt;cache&gt;/&lt;name&gt;</c>. Returns the final folder.
    /// </summary>
    public static string Materialize(string name, string cache, bool replace, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cache);
        var final = Path.Combine(cache, name);
        var staged = DatasetFolder.TemporaryPath(cache, name, "tmp");
        try
        {
            Directory.CreateDirectory(staged);
            foreach (var resource in Resources[name])
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var source = Library.GetManifestResourceStream(resource)
                    ?? throw new InvalidOperationException($"the embedded resource {resource} is listed but cannot be opened");
                using var target = new FileStream(Path.Combine(staged, resource.Split('/')[2]), FileMode.CreateNew, FileAccess.Write);
                source.CopyTo(target);
            }
            DatasetFolder.Install(staged, final, replace);
            return final;
        }
        finally
        {
            DatasetFolder.TryDeleteDirectory(staged);
        }
    }
}
