namespace Chronoscope.Inference;

/// <summary>The kinds of pass through a network whose memory <see cref="MemoryBudget"/> estimates, each with its measured rate.</summary>
internal enum MemoryPass
{
    /// <summary>Forward only, without gradients: prediction, validation, occlusion, faithfulness curves.</summary>
    Prediction,

    /// <summary>Forward, and backward from the logits to the last Inception block: Grad-CAM and its family.</summary>
    LayerGradients,

    /// <summary>Forward, and backward to the input (or to an early layer): saliency, integrated gradients, SmoothGrad, GradientSHAP.</summary>
    InputGradients,

    /// <summary>A training step: forward, backward to every weight, the optimizer's step.</summary>
    Training,
}
