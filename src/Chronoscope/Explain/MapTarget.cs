namespace Chronoscope.Explain;

/// <summary>Which class a gradient-based map explains.</summary>
public readonly record struct MapTarget
{
    private MapTarget(MapTargetKind kind, int classIndex)
    {
        Kind = kind;
        ClassIndex = classIndex;
    }

    public MapTargetKind Kind { get; }

    /// <summary>The class for <see cref="MapTargetKind.Class"/>.</summary>
    public int ClassIndex { get; }

    /// <summary>Each item's true label, as the reference (unlabelled data falls back to the prediction).</summary>
    public static MapTarget Label { get; } = new(MapTargetKind.Label, -1);

    /// <summary>Each item's predicted class: "why did you say that?".</summary>
    public static MapTarget Predicted { get; } = new(MapTargetKind.Predicted, -1);

    /// <summary>One class for every item: "what in this series speaks for class k?".</summary>
    public static MapTarget Class(int classIndex) =>
        classIndex >= 0 ? new(MapTargetKind.Class, classIndex) : throw new ArgumentOutOfRangeException(nameof(classIndex));
}
