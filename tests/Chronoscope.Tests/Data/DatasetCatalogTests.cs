using Chronoscope.Data.Archive;

namespace Chronoscope.Tests.Data;

public sealed class DatasetCatalogTests
{
    [Fact]
    public void Should_List_128_Univariate_And_30_Multivariate_Names_Without_Duplicates()
    {
        // Given the catalogue, when its lists are counted, then they match the archive's published sizes
        Assert.Equal(128, DatasetCatalog.Univariate.Count);
        Assert.Equal(30, DatasetCatalog.Multivariate.Count);
        Assert.Equal(158, DatasetCatalog.All.Count);
        // and no name appears twice, even ignoring case
        Assert.Equal(158, DatasetCatalog.All.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // and every name can be a folder and a URL segment
        Assert.All(DatasetCatalog.All, n => Assert.Matches("^[A-Za-z0-9-]+$", n));
    }

    [Theory]
    [InlineData("GunPoint", DatasetKind.Univariate)]
    [InlineData("ECG200", DatasetKind.Univariate)]
    [InlineData("AllGestureWiimoteY", DatasetKind.Univariate)]
    [InlineData("GestureMidAirD3", DatasetKind.Univariate)]
    [InlineData("NonInvasiveFetalECGThorax2", DatasetKind.Univariate)]
    [InlineData("UWaveGestureLibraryAll", DatasetKind.Univariate)]
    [InlineData("BasicMotions", DatasetKind.Multivariate)]
    [InlineData("PEMS-SF", DatasetKind.Multivariate)]
    [InlineData("UWaveGestureLibrary", DatasetKind.Multivariate)]
    [InlineData("NATOPS", DatasetKind.Multivariate)]
    public void Should_Know_Archive_Names_And_Their_Kind(string name, DatasetKind kind)
    {
        // Given a name the archive publishes, when it is looked up, then it is found with its kind
        Assert.True(DatasetCatalog.TryFind(name, out var canonical));
        Assert.Equal(name, canonical);
        Assert.Equal(kind, DatasetCatalog.KindOf(name));
    }

    [Fact]
    public void Should_Spell_StarLightCurves_And_CinCECGTorso_As_The_Archive_Does()
    {
        // Given the catalogue, then the two names the Python package misspelled are in the archive's spelling
        Assert.Contains("StarLightCurves", DatasetCatalog.Univariate);
        Assert.DoesNotContain("StarlightCurves", DatasetCatalog.Univariate);
        Assert.Contains("CinCECGTorso", DatasetCatalog.Univariate);
        Assert.DoesNotContain("CinCECGtorso", DatasetCatalog.Univariate);
        // and the Python spellings still find them
        Assert.True(DatasetCatalog.TryFind("StarlightCurves", out var star));
        Assert.Equal("StarLightCurves", star);
        Assert.True(DatasetCatalog.TryFind("CinCECGtorso", out var torso));
        Assert.Equal("CinCECGTorso", torso);
    }

    [Theory]
    [InlineData("gunpoint", "GunPoint")]
    [InlineData("GUNPOINT", "GunPoint")]
    [InlineData("pems-sf", "PEMS-SF")]
    [InlineData("basicmotions", "BasicMotions")]
    public void Should_Find_Names_Ignoring_Case_And_Return_The_Canonical_Spelling(string asked, string expected)
    {
        // Given a name in another case, when it is looked up, then the canonical spelling comes back
        Assert.True(DatasetCatalog.TryFind(asked, out var canonical));
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("PEMS_SF")]
    [InlineData("GunPoint2")]
    [InlineData("")]
    public void Should_Not_Find_Names_Outside_The_Catalogue(string name)
    {
        Assert.False(DatasetCatalog.TryFind(name, out _));
        Assert.Null(DatasetCatalog.KindOf(name));
    }

    [Fact]
    public void Should_Suggest_Near_Names_Closest_First()
    {
        // Given misspellings, when suggestions are asked, then the intended name comes first
        Assert.Equal("GunPoint", DatasetCatalog.Suggest("GunPont")[0]);
        Assert.Equal("GunPoint", DatasetCatalog.Suggest("gun point")[0]);
        Assert.Equal("ECG200", DatasetCatalog.Suggest("ECG20")[0]);
        Assert.Equal("PEMS-SF", DatasetCatalog.Suggest("PEMS_SF")[0]);
        // and a prefix brings its family, nearest first
        Assert.Equal(["GunPoint", "GunPointAgeSpan", "GunPointOldVersusYoung"], DatasetCatalog.Suggest("GunPoin"));
        // and nonsense gets nothing
        Assert.Empty(DatasetCatalog.Suggest("xqzzv"));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("GunPoint", "gunpoint", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("ECG200", "ECG5000", 2)]
    public void Should_Compute_The_Levenshtein_Distance_Ignoring_Case(string a, string b, int expected)
    {
        // Given pairs whose distance is known by hand, then the distance matches both ways
        Assert.Equal(expected, NameSuggestions.EditDistance(a, b));
        Assert.Equal(expected, NameSuggestions.EditDistance(b, a));
    }
}
