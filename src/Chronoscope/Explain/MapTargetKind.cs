namespace Chronoscope.Explain;

/// <summary>The kinds of <see cref="MapTarget"/>.</summary>
public enum MapTargetKind
{
    Label,
    Predicted,
    Class,
}
