using Chronoscope.Explain;

namespace Chronoscope.Cli.Commands;

/// <summary>The attribution options of one command line, checked (see <see cref="AttributionArguments"/>).</summary>
internal sealed record AttributionSettings(int IgSteps, AttributionBaseline Baseline, int? Samples, int Window, int Stride, string? TrainPath, int Seed);
