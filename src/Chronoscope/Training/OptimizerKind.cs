namespace Chronoscope.Training;

/// <summary>The optimizers a <see cref="Learner"/> can train with. All follow fastai's formulas.</summary>
public enum OptimizerKind
{
    /// <summary>Lookahead (k = 6, alpha = 0.5) over RAdam with decoupled weight decay: the reference's <c>Ranger</c>.</summary>
    Ranger,

    /// <summary>Rectified Adam with decoupled weight decay.</summary>
    RAdam,

    /// <summary>Adam with decoupled weight decay (fastai's <c>Adam</c>, i.e. AdamW).</summary>
    AdamW,

    /// <summary>Adam with the weight decay added to the gradient (L2 regularisation, as <c>torch.optim.Adam</c>).</summary>
    Adam,
}
