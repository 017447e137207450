namespace Chronoscope.Training;

/// <summary>
/// When BatchNorm's running statistics are recomputed before validation. They are an average over recent training
/// batches; after very few optimizer steps they lag the weights, and a model that is right in training mode predicts
/// one class for everything in evaluation mode (the PyTorch reference: GunPoint's official split, 25 steps, 0.51
/// test accuracy with stored statistics, 1.0 with batch statistics).
/// </summary>
public enum BatchNormCalibration
{
    /// <summary>Recalibrate when the training set is smaller than one batch, i.e. every epoch is one optimizer step.</summary>
    Auto,

    /// <summary>Recalibrate before every validation.</summary>
    Always,

    /// <summary>Keep PyTorch's running averages, as the reference does.</summary>
    Never,
}
