namespace Chronoscope.Data;

/// <summary>How series are scaled before the model sees them. Statistics come from the training part only.</summary>
public enum Normalization
{
    /// <summary>Values as read. The reference tutorial (fastai's GunPoint CAM notebook) trains this way.</summary>
    None,

    /// <summary>Each series and channel to mean 0, standard deviation 1 over its own time steps (no statistics to keep).</summary>
    PerSample,

    /// <summary>Each channel to mean 0, standard deviation 1 with the training set's per-channel mean and deviation.</summary>
    PerChannel,

    /// <summary>Each channel to 0..1 with the training set's per-channel minimum and maximum.</summary>
    MinMax,
}
