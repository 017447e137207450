using System.Diagnostics;

namespace Chronoscope.Tests.Infrastructure;

/// <summary>The build's fix for TorchSharp on systems whose libstdc++ predates GCC 13 (build/WeakenGlibcxxRequirement.cs).</summary>
public sealed class GlibcxxWeakeningTests
{
    [Fact]
    public void Should_Weaken_The_Output_Copy_Only_Where_The_System_Needs_It()
    {
        // Given the copy of libLibTorchSharp.so next to this test assembly and the one in the NuGet cache
        var output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        var cache = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"expected {output}");
        var systemHasIt = SystemHasTheVersion();

        // Then readelf shows the requirement weak in the output copy exactly when the system lacks the version,
        // and never touched in the NuGet cache
        Assert.Equal(systemHasIt ? "none" : "WEAK", RequirementFlags(output));
        if (File.Exists(cache))
            Assert.Equal("none", RequirementFlags(cache));
    }

    /// <summary>Whether this system's libstdc++ defines GLIBCXX_3.4.32 (then the build leaves the library as shipped).</summary>
    internal static bool SystemHasTheVersion() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Where(File.Exists)
            .Any(p => File.ReadAllBytes(p).AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0);

    /// <summary>The flags readelf shows on the library's GLIBCXX_3.4.32 requirement: "WEAK", or "none" as shipped.</summary>
    internal static string RequirementFlags(string library)
    {
        var start = new ProcessStartInfo("readelf", ["-V", "-W", library]) { RedirectStandardOutput = true };
        using var readelf = Process.Start(start)!;
        var text = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        // e.g. "  0x0140:   Name: GLIBCXX_3.4.32  Flags: WEAK  Version: 18"
        var line = text.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal));
        var flags = line[(line.IndexOf("Flags:", StringComparison.Ordinal) + 6)..].Trim();
        return flags[..flags.IndexOf(' ', StringComparison.Ordinal)];
    }
}
