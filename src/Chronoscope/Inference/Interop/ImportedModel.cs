
namespace Chronoscope.Inference.Interop;

/// <summary>A classifier made from foreign weights, and what the caller should know about it (for example, that no normalization statistics were found).</summary>
public sealed record ImportedModel(TimeSeriesClassifier Classifier, IReadOnlyList<string> Warnings);
