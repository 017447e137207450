using System.Reflection;
using System.Text.RegularExpressions;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Architecture;

/// <summary>
/// The house's one-way flow, as rules that fail when a forbidden reference appears: files → Data → Models → Training →
/// Inference → Explain → Plotting / Reports → Cli, read as "may use what comes before it", except that the trained
/// classifier (Inference) is what Training produces and Explain consumes, so Training uses Inference and Explain uses
/// Inference, never Training. Assemblies are checked by their references; the library's layers by the namespaces their
/// sources name.
/// </summary>
public sealed partial class LayeringTests
{
    public static TheoryData<string, string[]> ForbiddenAssemblies => new()
    {
        { "Chronoscope", ["Chronoscope.Plotting", "Chronoscope.Reports", "Chronoscope.Cli", "Spectre.Console", "System.CommandLine", "ScottPlot", "SkiaSharp"] },
        { "Chronoscope.Plotting", ["Chronoscope.Reports", "Chronoscope.Cli", "Spectre.Console", "System.CommandLine"] },
        { "Chronoscope.Reports", ["Chronoscope.Cli", "Spectre.Console", "System.CommandLine"] },
    };

    /// <summary>Each layer of the library and the layers it must not name.</summary>
    public static TheoryData<string, string[]> ForbiddenLayers => new()
    {
        { "Data", ["Models", "Training", "Inference", "Explain"] },
        { "Models", ["Training", "Inference", "Explain"] },
        { "Inference", ["Training", "Explain"] },
        { "Training", ["Explain"] },
        { "Explain", ["Training"] },
    };

    [Theory]
    [MemberData(nameof(ForbiddenAssemblies))]
    public void Should_Not_Reference_A_Higher_Assembly_Or_The_Console(string assembly, string[] forbidden)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains(references, r => r.StartsWith("System.", StringComparison.Ordinal)); // the check reads real references
        Assert.Empty(references.Intersect(forbidden));
    }

    [Theory]
    [MemberData(nameof(ForbiddenLayers))]
    public void Should_Not_Name_A_Layer_It_Must_Not_Use(string layer, string[] forbidden)
    {
        var folder = Repository.Combine("src", "Chronoscope", layer);
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var offences = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in NamespaceReference().Matches(lines[i]))
                {
                    if (forbidden.Contains(match.Groups[1].Value))
                        offences.Add($"{Path.GetRelativePath(Repository.Root, file)}({i + 1}): {lines[i].Trim()}");
                }
            }
        }
        Assert.True(offences.Count == 0, $"{layer} must not use {string.Join(", ", forbidden)}:\n{string.Join("\n", offences)}");
    }

    [Fact]
    public void Should_Catch_A_Forbidden_Using_In_A_Line_Of_Source()
    {
        // The pattern the layer rule relies on, on lines it must and must not flag.
        Assert.Equal("Training", NamespaceReference().Match("using Chronoscope.Training;").Groups[1].Value);
        Assert.Equal("Explain", NamespaceReference().Match("var x = new Chronoscope.Explain.Explainer(c);").Groups[1].Value);
        Assert.Equal("Data", NamespaceReference().Match("using Chronoscope.Data.Formats;").Groups[1].Value);
        Assert.DoesNotMatch(NamespaceReference(), "// Chronoscopes are nice");
    }

    // "Chronoscope.<Layer>" in a using or a qualified name; the layer is the first segment.
    [GeneratedRegex(@"\bChronoscope\.(\w+)")]
    private static partial Regex NamespaceReference();
}
