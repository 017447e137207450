namespace Chronoscope.Inference.Interop;

/// <summary>The files an export wrote: the weights and the JSON of classes, normalization and architecture beside them.</summary>
public sealed record ExportedFiles(string WeightsPath, string MetadataPath);
