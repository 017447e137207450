namespace Chronoscope.Data.Archive;

/// <summary>
/// The names of the 128 UCR univariate and 30 UEA multivariate classification problems, spelled as the
/// archive at timeseriesclassification.com spells its zip files. The list is the one the Python package
/// <c>ai-fast-track/timeseries</c> ships as <c>URLs_TS</c>, with its two misspellings corrected (see the
/// comments in <see cref="Univariate"/>). Lookups ignore case and return the canonical spelling.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>The 128 UCR univariate problems, in alphabetical order (ignoring case) as the archive lists them.</summary>
    public static IReadOnlyList<string> Univariate { get; } =
    [
        "ACSF1", "Adiac", "AllGestureWiimoteX", "AllGestureWiimoteY", "AllGestureWiimoteZ", "ArrowHead",
        "Beef", "BeetleFly", "BirdChicken", "BME", "Car", "CBF", "Chinatown", "ChlorineConcentration",
        // The Python package's URL constant spells it "CinCECGtorso"; the archive's folder and zip are "CinCECGTorso".
        "CinCECGTorso",
        "Coffee", "Computers", "CricketX", "CricketY", "CricketZ", "Crop", "DiatomSizeReduction",
        "DistalPhalanxOutlineAgeGroup", "DistalPhalanxOutlineCorrect", "DistalPhalanxTW",
        "DodgerLoopDay", "DodgerLoopGame", "DodgerLoopWeekend", "Earthquakes", "ECG200", "ECG5000",
        "ECGFiveDays", "ElectricDevices", "EOGHorizontalSignal", "EOGVerticalSignal", "EthanolLevel",
        "FaceAll", "FaceFour", "FacesUCR", "FiftyWords", "Fish", "FordA", "FordB", "FreezerRegularTrain",
        "FreezerSmallTrain", "Fungi", "GestureMidAirD1", "GestureMidAirD2", "GestureMidAirD3",
        "GesturePebbleZ1", "GesturePebbleZ2", "GunPoint", "GunPointAgeSpan", "GunPointMaleVersusFemale",
        "GunPointOldVersusYoung", "Ham", "HandOutlines", "Haptics", "Herring", "HouseTwenty", "InlineSkate",
        "InsectEPGRegularTrain", "InsectEPGSmallTrain", "InsectWingbeatSound", "ItalyPowerDemand",
        "LargeKitchenAppliances", "Lightning2", "Lightning7", "Mallat", "Meat", "MedicalImages",
        "MelbournePedestrian", "MiddlePhalanxOutlineAgeGroup", "MiddlePhalanxOutlineCorrect",
        "MiddlePhalanxTW", "MixedShapes", "MixedShapesSmallTrain", "MoteStrain",
        "NonInvasiveFetalECGThorax1", "NonInvasiveFetalECGThorax2", "OliveOil", "OSULeaf",
        "PhalangesOutlinesCorrect", "Phoneme", "PickupGestureWiimoteZ", "PigAirwayPressure",
        "PigArtPressure", "PigCVP", "PLAID", "Plane", "PowerCons", "ProximalPhalanxOutlineAgeGroup",
        "ProximalPhalanxOutlineCorrect", "ProximalPhalanxTW", "RefrigerationDevices", "Rock", "ScreenType",
        "SemgHandGenderCh2", "SemgHandMovementCh2", "SemgHandSubjectCh2", "ShakeGestureWiimoteZ",
        "ShapeletSim", "ShapesAll", "SmallKitchenAppliances", "SmoothSubspace", "SonyAIBORobotSurface1",
        "SonyAIBORobotSurface2",
        // The Python package's get_UCR_univariate_list() writes "StarlightCurves"; its URL and the archive use "StarLightCurves".
        "StarLightCurves",
        "Strawberry", "SwedishLeaf", "Symbols", "SyntheticControl", "ToeSegmentation1", "ToeSegmentation2",
        "Trace", "TwoLeadECG", "TwoPatterns", "UMD", "UWaveGestureLibraryAll", "UWaveGestureLibraryX",
        "UWaveGestureLibraryY", "UWaveGestureLibraryZ", "Wafer", "Wine", "WordSynonyms", "Worms",
        "WormsTwoClass", "Yoga",
    ];

    /// <summary>The 30 UEA multivariate problems, in the order the Python package lists them.</summary>
    public static IReadOnlyList<string> Multivariate { get; } =
    [
        "ArticularyWordRecognition", "AtrialFibrillation", "BasicMotions", "CharacterTrajectories", "Cricket",
        "DuckDuckGeese", "EigenWorms", "Epilepsy", "EthanolConcentration", "ERing", "FaceDetection",
        "FingerMovements", "HandMovementDirection", "Handwriting", "Heartbeat", "JapaneseVowels", "Libras",
        "LSST", "InsectWingbeat", "MotorImagery", "NATOPS", "PenDigits", "PEMS-SF", "PhonemeSpectra",
        "RacketSports", "SelfRegulationSCP1", "SelfRegulationSCP2", "SpokenArabicDigits", "StandWalkJump",
        "UWaveGestureLibrary",
    ];

    /// <summary>All 158 names: the univariate ones, then the multivariate ones.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Univariate, .. Multivariate];

    private static readonly Dictionary<string, (string Name, DatasetKind Kind)> ByName =
        Univariate.Select(n => (n, DatasetKind.Univariate))
            .Concat(Multivariate.Select(n => (n, DatasetKind.Multivariate)))
            .ToDictionary(p => p.n, p => p, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> is in the catalogue, ignoring case.</summary>
    public static bool Contains(string name) => ByName.ContainsKey(name);

    /// <summary>Finds <paramref name="name"/> ignoring case and gives its canonical spelling (<c>gunpoint</c> → <c>GunPoint</c>).</summary>
    public static bool TryFind(string name, out string canonicalName)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ByName.TryGetValue(name, out var entry))
        {
            canonicalName = entry.Name;
            return true;
        }
        canonicalName = name;
        return false;
    }

    /// <summary>Whether a catalogued dataset is univariate or multivariate; null when the name is not catalogued.</summary>
    public static DatasetKind? KindOf(string name) =>
        ByName.TryGetValue(name, out var entry) ? entry.Kind : null;

    /// <summary>
    /// Catalogued names close to a misspelled <paramref name="name"/>, closest first, for error messages:
    /// names within a few edits (a third of the name's length, at least 2), and names that start with or
    /// contain it when it is at least 3 characters long. Case is ignored.
    /// </summary>
    public static IReadOnlyList<string> Suggest(string name, int maximum = 3) => Suggest(name, All, maximum);

    /// <summary>The names among <paramref name="candidates"/> close to <paramref name="name"/>; see <see cref="Suggest(string, int)"/>.</summary>
    public static IReadOnlyList<string> Suggest(string name, IEnumerable<string> candidates, int maximum = 3) =>
        NameSuggestions.Closest(name, candidates.Distinct(StringComparer.OrdinalIgnoreCase), maximum);
}
