namespace Chronoscope.Training;

/// <summary>What a <see cref="TrainingProgress"/> report is about.</summary>
public enum TrainingPhase
{
    /// <summary>A training batch finished.</summary>
    Training,

    /// <summary>A validation batch finished.</summary>
    Validating,

    /// <summary>An epoch finished; the report carries its row.</summary>
    EpochCompleted,

    /// <summary>The learner has something to say (the report carries the note).</summary>
    Note,
}
