namespace Chronoscope.Tests.TestSupport;

/// <summary>The repository the tests were built from: its root is the folder holding <c>Chronoscope.slnx</c> above the test binaries.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Chronoscope.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"no Chronoscope.slnx above {AppContext.BaseDirectory}: the tests run from the repository's build output.");
    }
}
