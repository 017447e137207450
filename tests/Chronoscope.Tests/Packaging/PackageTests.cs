using System.IO.Compression;
using System.Xml.Linq;
using Chronoscope.Inference;
using Chronoscope.Tests.Infrastructure;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Packaging;

/// <summary>
/// The packages a .NET user installs: the libraries (Chronoscope, Chronoscope.Plotting, Chronoscope.Reports) and the
/// <c>chronoscope</c> tool, packed once into a local feed (<see cref="PackedChronoscope"/>), then used as a user
/// would: the tool installed from the feed and run, and an application built against the packages (not the
/// projects) running the README's quick start. Slow (minutes: a pack, libtorch copied twice); everything it writes
/// is in a temporary folder.
/// </summary>
public sealed class PackageTests(PackedChronoscope packed) : IClassFixture<PackedChronoscope>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    private static readonly string[] Libraries = ["Chronoscope", "Chronoscope.Plotting", "Chronoscope.Reports", "Chronoscope.Onnx"];

    [Fact]
    public void Should_Pack_Each_Library_With_Its_Readme_The_Mit_Licence_Xml_Docs_And_Symbols()
    {
        Assert.True(packed.PackExitCode == 0, packed.PackOutput);
        foreach (var id in Libraries)
        {
            // Given the library's package and its symbol package
            using var package = ZipFile.OpenRead(packed.Package(id));
            using var symbols = ZipFile.OpenRead(packed.Package(id, ".snupkg"));
            var metadata = Metadata(package, id);

            // Then the nuspec names it, its version, the licence expression and the readme, and no repository
            Assert.Equal(id, Value(metadata, "id"));
            Assert.Equal(packed.Version, Value(metadata, "version"));
            var licence = Element(metadata, "license");
            Assert.Equal(("expression", "MIT"), (licence.Attribute("type")?.Value, licence.Value));
            Assert.Equal("README.md", Value(metadata, "readme"));
            Assert.Null(metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "repository"));
            // and the package holds that readme (the project's own, starting with its name), the assembly with its
            // XML documentation, and the symbol package its PDB
            using (var readme = new StreamReader(package.GetEntry("README.md")!.Open()))
                Assert.StartsWith($"# {id}", readme.ReadLine(), StringComparison.Ordinal);
            var files = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains($"lib/net10.0/{id}.dll", files);
            Assert.Contains($"lib/net10.0/{id}.xml", files);
            Assert.Contains($"lib/net10.0/{id}.pdb", symbols.Entries.Select(e => e.FullName));
        }
    }

    [Fact]
    public void Should_Leave_Libtorch_To_The_Application_And_Carry_The_Glibcxx_Fix_To_It()
    {
        Assert.True(packed.PackExitCode == 0, packed.PackOutput);
        var versions = XDocument.Load(Path.Combine(packed.Repository, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);

        // Then the library depends on managed TorchSharp (and PyBridge, TorchSharp's reader of PyTorch files) alone, no
        // libtorch, and the others on the library of the same version
        using var library = ZipFile.OpenRead(packed.Package("Chronoscope"));
        Assert.Equal([("TorchSharp", versions["TorchSharp"]), ("TorchSharp.PyBridge", versions["TorchSharp.PyBridge"])],
            Dependencies(library, "Chronoscope").Order());
        using (var onnx = ZipFile.OpenRead(packed.Package("Chronoscope.Onnx")))
            Assert.Contains(("Chronoscope", packed.Version), Dependencies(onnx, "Chronoscope.Onnx"));
        using (var plotting = ZipFile.OpenRead(packed.Package("Chronoscope.Plotting")))
            Assert.Contains(("Chronoscope", packed.Version), Dependencies(plotting, "Chronoscope.Plotting"));
        using (var reports = ZipFile.OpenRead(packed.Package("Chronoscope.Reports")))
            Assert.Contains(("Chronoscope", packed.Version), Dependencies(reports, "Chronoscope.Reports"));
        // and the library carries the repository's own build files (the very ones the repository builds with)
        // as buildTransitive, the target named after the package so NuGet imports it into every consumer
        foreach (var (inPackage, inRepository) in new[]
        {
            ("buildTransitive/Chronoscope.targets", "build/Chronoscope.targets"),
            ("buildTransitive/WeakenGlibcxxRequirement.cs", "build/WeakenGlibcxxRequirement.cs"),
        })
        {
            using var copy = new MemoryStream();
            using (var entry = library.GetEntry(inPackage)!.Open())
                entry.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(Path.Combine(packed.Repository, inRepository)), copy.ToArray());
        }
    }

    [Fact]
    public void Should_Pack_The_Tool_As_A_Pointer_To_A_Package_With_This_Platforms_Libtorch()
    {
        Assert.True(packed.PackExitCode == 0, packed.PackOutput);

        // Given the tool's pointer package, which names the package of each platform
        using var pointer = ZipFile.OpenRead(packed.Package("Chronoscope.Cli"));
        Assert.Equal("DotnetTool", Element(Metadata(pointer, "Chronoscope.Cli"), "packageTypes").Elements().Single().Attribute("name")?.Value);
        var settings = XDocument.Load(pointer.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open()).Root!;
        Assert.Equal("chronoscope", settings.Descendants("Command").Single().Attribute("Name")?.Value);
        var platform = settings.Descendants("RuntimeIdentifierPackage").Single();
        var (rid, id) = (platform.Attribute("RuntimeIdentifier")!.Value, platform.Attribute("Id")!.Value);
        Assert.Equal($"Chronoscope.Cli.{rid}", id);

        // Then that package holds the program with exactly one libtorch, this platform's
        using var program = ZipFile.OpenRead(packed.Package(id));
        var files = program.Entries.Select(e => e.FullName).ToList();
        Assert.Contains($"tools/net10.0/{rid}/Chronoscope.Cli.dll", files);
        Assert.Single(files, f => Path.GetFileName(f).Contains("torch_cpu", StringComparison.Ordinal));
        Assert.Single(files, f => Path.GetFileName(f).Contains("LibTorchSharp", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Install_The_Tool_From_The_Feed_Then_Show_Help_And_Train_One_Epoch()
    {
        Assert.True(packed.PackExitCode == 0, packed.PackOutput);
        var tools = Path.Combine(packed.Root, "tools");

        // When the tool is installed from the feed, as a user would with --add-source
        var install = ChildProcess.Run(ChildProcess.Dotnet,
            ["tool", "install", "--tool-path", tools, "--add-source", packed.Feed, "--ignore-failed-sources", "--version", packed.Version, "Chronoscope.Cli"],
            packed.Root, Patience);
        Assert.True(install.ExitCode == 0, install.Output);
        var chronoscope = Path.Combine(tools, OperatingSystem.IsWindows() ? "chronoscope.exe" : "chronoscope");

        // Then `chronoscope --help` lists the commands
        var help = ChildProcess.Run(chronoscope, ["--help"], packed.Root, Patience);
        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("chronoscope [command] [options]", help.Output, StringComparison.Ordinal);
        Assert.Contains("train <dataset>", help.Output, StringComparison.Ordinal);

        // and one epoch of training on the embedded GunPoint writes a model the library reads back
        var run = Path.Combine(packed.Root, "tool-run");
        var train = ChildProcess.Run(chronoscope, ["train", "GunPoint", "--epochs", "1", "--out", run], packed.Root, Patience, DatasetCache("tool-cache"));
        Assert.True(train.ExitCode == 0, train.Output);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "epochs.csv")).Length);
        Assert.True(File.Exists(Path.Combine(run, "report.html")), train.Output);
        using (new TensorLeakCheck())
        using (var classifier = TimeSeriesClassifier.Load(Path.Combine(run, "model.chronoscope")))
            Assert.Equal(["1", "2"], classifier.Classes);

        // and the tool's own TorchSharp library loads on older systems wherever it was packed: always weak
        if (OperatingSystem.IsLinux())
        {
            var native = Directory.GetFiles(Path.Combine(tools, ".store"), "libLibTorchSharp.so", SearchOption.AllDirectories);
            Assert.Equal("WEAK", GlibcxxWeakeningTests.RequirementFlags(Assert.Single(native)));
        }
    }

    [Fact]
    public void Should_Build_An_App_On_The_Packages_That_Runs_The_Readme_Quick_Start()
    {
        Assert.True(packed.PackExitCode == 0, packed.PackOutput);

        // Given an application that references the pictures package (and through it the library) and the CPU
        // libtorch, whose program is the README's quick start trained for one epoch instead of 25
        var app = Path.Combine(packed.Root, "app");
        Directory.CreateDirectory(app);
        var torchSharpCpu = XDocument.Load(Path.Combine(packed.Repository, "Directory.Packages.props"))
            .Descendants("PackageVersion").Single(p => p.Attribute("Include")?.Value == "TorchSharp-cpu").Attribute("Version")!.Value;
        File.WriteAllText(Path.Combine(app, "QuickStart.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <UseCurrentRuntimeIdentifier>true</UseCurrentRuntimeIdentifier>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Chronoscope.Plotting" Version="{packed.Version}" />
                <PackageReference Include="TorchSharp-cpu" Version="{torchSharpCpu}" />
              </ItemGroup>
            </Project>

            """);
        var quickStart = ReadmeQuickStart();
        const string TwentyFiveEpochs = "learner.FitOneCycle(25, ";
        Assert.Contains(TwentyFiveEpochs, quickStart, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(app, "Program.cs"), quickStart.Replace(TwentyFiveEpochs, "learner.FitOneCycle(1, ", StringComparison.Ordinal));

        // When it is built (restoring from the feed, the rest from the machine's cache) and run
        var build = ChildProcess.Run(ChildProcess.Dotnet, ["build", "-c", "Release", "-nodeReuse:false", "-p:RestoreIgnoreFailedSources=true"], app, Patience);
        Assert.True(build.ExitCode == 0, build.Output);
        var output = Directory.GetFiles(Path.Combine(app, "bin", "Release"), "QuickStart.dll", SearchOption.AllDirectories);
        var folder = Path.GetDirectoryName(Assert.Single(output))!;
        var quick = ChildProcess.Run(Path.Combine(folder, OperatingSystem.IsWindows() ? "QuickStart.exe" : "QuickStart"), [], app, Patience, DatasetCache("app-cache"));
        Assert.True(quick.ExitCode == 0, quick.Output);

        // Then it wrote the model (readable by the library, GunPoint's two classes) and the Grad-CAM picture
        using (new TensorLeakCheck())
        using (var classifier = TimeSeriesClassifier.Load(Path.Combine(app, "gunpoint.chronoscope")))
            Assert.Equal(["1", "2"], classifier.Classes);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(app, "gunpoint-gradcam.png"))[..4]);
        // and the package's build step weakened the app's copy of TorchSharp's library exactly where this system needs it
        if (OperatingSystem.IsLinux())
        {
            var native = Directory.GetFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories);
            Assert.Equal(GlibcxxWeakeningTests.SystemHasTheVersion() ? "none" : "WEAK", GlibcxxWeakeningTests.RequirementFlags(Assert.Single(native)));
        }
    }

    /// <summary>The first C# block of the README's "Quick start in C#" section.</summary>
    private string ReadmeQuickStart()
    {
        var readme = File.ReadAllText(Path.Combine(packed.Repository, "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("\n## Quick start in C#\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no section \"Quick start in C#\"");
        var start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        return readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)] + "\n";
    }

    /// <summary>A dataset cache of the test's own, so the program never writes to the user's.</summary>
    private Dictionary<string, string> DatasetCache(string name) => new() { ["CHRONOSCOPE_DATA"] = Path.Combine(packed.Root, name) };

    private static XElement Metadata(ZipArchive package, string id)
    {
        using var nuspec = package.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement Element(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value;

    private static List<(string Id, string Version)> Dependencies(ZipArchive package, string id) =>
        Metadata(package, id).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value))
            .ToList();
}
