namespace Chronoscope.Tutorial;

/// <summary>What the tutorial produced: the files it wrote, in order, and the final validation accuracy.</summary>
public sealed record TutorialResult(IReadOnlyList<string> Files, double Accuracy);
