namespace Chronoscope.Onnx;

/// <summary>How a classifier becomes an ONNX graph.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest opset this exporter writes; ONNX Runtime 1.16 and later run it.</summary>
    public const int MinimumOpset = 17;

    /// <summary>The highest opset this exporter writes.</summary>
    public const int MaximumOpset = 21;

    /// <summary>The ONNX operator set version, <see cref="MinimumOpset"/> to <see cref="MaximumOpset"/>. Defaults to 17, the lowest the issue asks for and the widest supported.</summary>
    public int Opset { get; init; } = MinimumOpset;

    /// <summary>
    /// A layer whose output becomes a second graph output named <c>activations</c> (the index <c>chronoscope cam
    /// --layer</c> takes: 0..Depth-1 the Inception blocks, then pool, flatten, linear), so a CAM can be computed from
    /// the ONNX model; null for none. Defaults to null.
    /// </summary>
    public int? ActivationLayer { get; init; }

    /// <summary>
    /// Fixes the input length to the classifier's training series length; false leaves it dynamic (the network is
    /// fully convolutional up to its global pool, so any length works). Defaults to false. A classifier that subtracts
    /// its training set's mean series (<c>Normalization.MeanSeries</c>) always takes that length.
    /// </summary>
    public bool FixedLength { get; init; }
}
