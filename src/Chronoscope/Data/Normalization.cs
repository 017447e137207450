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

    /// <summary>
    /// Each channel minus the training set's mean series (its mean at each time step), divided by the channel's
    /// deviation from that mean: what reaches the network is how each series departs from the typical one. For sets
    /// whose series are near copies of one curve, where the classes differ by a hundredth of the series' spread (the
    /// archive's spectra of olive oils and wines), which the network otherwise sees as noise on a common shape and does
    /// not learn in its budget. Series may not be longer than the training series (the mean has their length).
    /// </summary>
    MeanSeries,
}
