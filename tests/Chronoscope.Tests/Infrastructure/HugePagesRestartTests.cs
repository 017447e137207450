using System.Text.Json;
using Chronoscope.Tests.Packaging;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Infrastructure;

/// <summary>
/// The command line restarts itself with glibc's heap on transparent huge pages where the system gives them only on
/// request: the real executable, its run record saying so, its arguments surviving the restart.
/// </summary>
public sealed class HugePagesRestartTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("a=1:glibc.malloc.hugetlb=1", "a=1")]
    [InlineData("glibc.malloc.hugetlb=1:b=2:c=3", "b=2:c=3")]
    [InlineData("glibc.malloc.hugetlb=1", null)]
    [InlineData("glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=0")]
    [InlineData(null, null)]
    public void Should_Give_Child_Processes_The_Tunables_Without_Ours(string? tunables, string? expected) =>
        Assert.Equal(expected, TorchRuntime.WithoutHugePageTunable(tunables));

    [Theory]
    [InlineData(false, null, "a=1|GLIBC_TUNABLES=x=2:glibc.malloc.hugetlb=1")]
    [InlineData(true, null, "a=1|GLIBC_TUNABLES=x=2:glibc.malloc.hugetlb=1|DOTNET_TieredCompilation=0")]
    [InlineData(true, "1", "a=1|DOTNET_TieredCompilation=1|GLIBC_TUNABLES=x=2:glibc.malloc.hugetlb=1")]
    public void Should_Restart_Training_Programs_With_Tiered_Compilation_Off_Unless_The_Environment_Sets_It(bool compileOptimized, string? tiered, string expected)
    {
        // Given an environment with other settings, glibc tunables of its own and perhaps the user's tiered compilation
        var current = new Dictionary<string, string> { ["a"] = "1" };
        if (tiered is not null)
            current["DOTNET_TieredCompilation"] = tiered;
        current["GLIBC_TUNABLES"] = "x=2";

        // When the environment of the restart is made
        var environment = TorchRuntime.RestartEnvironment(current, compileOptimized);

        // Then it keeps every setting, adds the huge pages to the tunables, and turns tiering off only where asked and not set
        Assert.Equal(expected.Split('|'), environment);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("glibc.malloc.hugetlb=0")]
    public void Should_Restart_With_Huge_Pages_Where_They_Are_Given_On_Request(string? tunables)
    {
        // Given a run folder whose name needs its bytes kept exactly (a space, non-ASCII letters), and the system's
        // transparent huge page mode and glibc version read here by other means than the product's
        var run = _folder.Combine("run é ß");
        var onRequest = OperatingSystem.IsLinux() && File.Exists(ThpMode) && File.ReadAllText(ThpMode).Contains("[madvise]", StringComparison.Ordinal);
        var expected = onRequest && tunables is null && GlibcVersion() >= new Version(2, 35);

        // When the real command line trains a tiny network (GLIBC_TUNABLES as given: empty, or declining huge pages)
        var (exitCode, output) = ChildProcess.Run(ChildProcess.Dotnet, [Path.Combine(AppContext.BaseDirectory, "Chronoscope.Cli.dll"),
            "train", "GunPoint", "--epochs", "1", "--depth", "1", "--filters", "4", "--no-report", "--out", run], _folder.Path, TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["CHRONOSCOPE_DATA"] = _folder.Combine("cache"), ["GLIBC_TUNABLES"] = tunables ?? "" });

        // Then it trained into that folder, and its record says whether the heap was on huge pages as the system allows
        Assert.True(exitCode == 0, $"exit {exitCode}: {output}");
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(expected, record.RootElement.GetProperty("settings").GetProperty("huge_pages").GetBoolean());
    }

    private const string ThpMode = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>glibc's version as <c>getconf GNU_LIBC_VERSION</c> says it ("glibc 2.36"), or 0.0 where it cannot.</summary>
    private Version GlibcVersion()
    {
        try
        {
            var (exitCode, text) = ChildProcess.Run("getconf", ["GNU_LIBC_VERSION"], _folder.Path, TimeSpan.FromMinutes(1));
            return exitCode == 0 && Version.TryParse(text.Trim().Split(' ')[^1], out var version) ? version : new Version(0, 0);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Version(0, 0); // no getconf: not glibc
        }
    }
}
