namespace Chronoscope.Explain;

/// <summary>What the search for a counterfactual found.</summary>
public enum CounterfactualOutcome
{
    /// <summary>A window of the neighbour copied into the query makes the model predict the target.</summary>
    Found,

    /// <summary>
    /// No training series is of the target class and classified as it by the model: there is no neighbour to copy
    /// from. An answer about the model and the training data, not an error.
    /// </summary>
    NoNeighbour,

    /// <summary>
    /// Even the whole neighbour does not reach the target with the probability asked for (the neighbour is predicted as
    /// the target, but less surely than <see cref="CounterfactualOptions.Threshold"/>).
    /// </summary>
    NotFlipped,
}
