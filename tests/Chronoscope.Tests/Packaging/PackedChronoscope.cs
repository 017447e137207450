using System.Xml.Linq;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Packaging;

/// <summary>
/// The repository's packages, packed once for the package tests into a local folder feed of a temporary folder:
/// <c>dotnet pack</c> of the solution with a version of its own (so no copy in a NuGet cache can stand in for it) and
/// its own artifacts folder (so nothing is written into the repository's bin/ and obj/ folders). Next to the feed,
/// a nuget.config adds the feed to the machine's own sources and restores into a package folder of the test's own,
/// with the machine's NuGet cache as a fallback folder: the dependencies (TorchSharp, libtorch, ScottPlot) come from
/// that cache without a download, and the test's packages never land in it.
/// </summary>
public sealed class PackedChronoscope : IDisposable
{
    private readonly TempFolder _folder = new();

    public PackedChronoscope()
    {
        Repository = FindRepository();
        Feed = _folder.Combine("feed");
        Directory.CreateDirectory(Feed);
        var suffix = "test-" + Guid.NewGuid().ToString("N")[..8];
        (PackExitCode, PackOutput) = ChildProcess.Run(ChildProcess.Dotnet,
        [
            "pack", "Chronoscope.slnx", "-c", "Release", "-nodeReuse:false",
            "--artifacts-path", _folder.Combine("artifacts"),
            $"-p:VersionSuffix={suffix}",
            $"-p:PackageOutputPath={Feed}{Path.DirectorySeparatorChar}",
        ], Repository, TimeSpan.FromMinutes(20));
        Version = XDocument.Load(Path.Combine(Repository, "build", "Packaging.props")).Descendants("VersionPrefix").Single().Value + "-" + suffix;

        // Empty build files stop MSBuild from looking above the temporary folder for someone else's.
        _folder.Write("Directory.Build.props", "<Project />\n");
        _folder.Write("Directory.Build.targets", "<Project />\n");
        _folder.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{_folder.Combine("packages")}" />
              </config>
              <packageSources>
                <add key="chronoscope-test-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackages}" />
              </fallbackPackageFolders>
            </configuration>

            """);
    }

    /// <summary>The repository's root folder (where Chronoscope.slnx is).</summary>
    public string Repository { get; }

    /// <summary>The local folder feed holding the packed .nupkg and .snupkg files.</summary>
    public string Feed { get; }

    /// <summary>The version every package was packed with, e.g. 0.1.0-test-1a2b3c4d.</summary>
    public string Version { get; }

    public int PackExitCode { get; }

    public string PackOutput { get; }

    /// <summary>The temporary folder with the feed, nuget.config and room for the tests' own folders.</summary>
    public string Root => _folder.Path;

    /// <summary>The machine's NuGet package cache, which holds the dependencies after the repository's restore.</summary>
    public static string MachinePackages { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The path of a package in the feed, e.g. <c>Package("Chronoscope.Plotting")</c>.</summary>
    public string Package(string id, string extension = ".nupkg") => Path.Combine(Feed, $"{id}.{Version}{extension}");

    public void Dispose() => _folder.Dispose();

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Chronoscope.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"no Chronoscope.slnx above {AppContext.BaseDirectory}");
    }
}
