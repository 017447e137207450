namespace Chronoscope.Tests.TestSupport;

/// <summary>The real archive files copied next to the tests (see TestData/README.md), and the repository's embedded GunPoint pair.</summary>
internal static class TestData
{
    public static string File(string dataset, string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", dataset, fileName);

    /// <summary>data/GunPoint/GunPoint_TRAIN.arff, the file the library embeds.</summary>
    public static string GunPointTrainArff => File("GunPoint", "GunPoint_TRAIN.arff");

    /// <summary>data/GunPoint/GunPoint_TEST.arff, the file the library embeds.</summary>
    public static string GunPointTestArff => File("GunPoint", "GunPoint_TEST.arff");
}
