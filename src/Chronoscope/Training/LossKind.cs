namespace Chronoscope.Training;

/// <summary>The training loss.</summary>
public enum LossKind
{
    /// <summary>
    /// Cross-entropy against targets smoothed by epsilon: <c>(1-ε)·NLL + ε·mean over classes of −log p</c>, the reference's
    /// <c>LabelSmoothingCrossEntropy</c> (equal to PyTorch's <c>cross_entropy(label_smoothing=ε)</c>).
    /// </summary>
    LabelSmoothingCrossEntropy,

    /// <summary>Plain cross-entropy.</summary>
    CrossEntropy,
}
