namespace Chronoscope.Tests.TestSupport;

/// <summary>The repository's data files, copied next to the test assembly by the test project.</summary>
internal static class TestData
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string GunPointTrainArff => Path.Combine(Folder, "GunPoint", "GunPoint_TRAIN.arff");

    public static string GunPointTestArff => Path.Combine(Folder, "GunPoint", "GunPoint_TEST.arff");
}
