namespace Chronoscope.Tests.TestSupport;

/// <summary>The real archive files copied next to the tests (see TestData/README.md).</summary>
internal static class TestData
{
    public static string File(string dataset, string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", dataset, fileName);
}
