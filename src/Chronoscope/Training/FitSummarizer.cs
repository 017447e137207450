namespace Chronoscope.Training;

/// <summary>Sets the learner's <see cref="Learner.LastFit"/> when a fit ends, before the other callbacks' AfterFit read it.</summary>
internal sealed class FitSummarizer(Schedule learningRate) : Callback
{
    public override int Order => -100;

    public override void AfterFit(TrainingContext context) => context.Learner.Summarize(context, learningRate);
}
