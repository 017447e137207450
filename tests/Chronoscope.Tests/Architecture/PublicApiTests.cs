using System.Reflection;
using Chronoscope.Tests.TestSupport;
using PublicApiGenerator;

namespace Chronoscope.Tests.Architecture;

/// <summary>
/// Every change to the public API shows in review: each assembly's API is compared with its snapshot in
/// <c>tests/Chronoscope.Tests/Architecture/Api/</c>. A deliberate change is accepted by running the tests with
/// <c>CHRONOSCOPE_ACCEPT_API=1</c>, which rewrites the snapshot, and committing the diff.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("Chronoscope")]
    [InlineData("Chronoscope.Plotting")]
    [InlineData("Chronoscope.Reports")]
    [InlineData("Chronoscope.Onnx")]
    public void Should_Match_The_Reviewed_Public_Api(string assembly)
    {
        var api = Assembly.Load(assembly).GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        var snapshot = Repository.Combine("tests", "Chronoscope.Tests", "Architecture", "Api", $"{assembly}.txt");
        if (Environment.GetEnvironmentVariable("CHRONOSCOPE_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
            File.WriteAllText(snapshot, api);
        }
        Assert.True(File.Exists(snapshot), $"{snapshot} is missing; run the tests with CHRONOSCOPE_ACCEPT_API=1 to write it.");
        var expected = File.ReadAllText(snapshot).ReplaceLineEndings("\n");
        if (expected != api)
        {
            var first = expected.Split('\n').Zip(api.Split('\n')).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
            Assert.Fail($"the public API of {assembly} changed (first difference at line {first.i + 1}: '{first.p.First}' became '{first.p.Second}'). " +
                "If the change is deliberate, run the tests with CHRONOSCOPE_ACCEPT_API=1 and commit the snapshot.");
        }
    }
}
