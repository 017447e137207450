namespace Chronoscope.Training;

/// <summary>Sets the learning rate and momentum before every training batch from schedules over the fit's progress.</summary>
public sealed class ParameterScheduler(Schedule learningRate, Schedule? momentum = null) : Callback
{
    public override int Order => -20;

    public Schedule LearningRate { get; } = learningRate;

    public Schedule? Momentum { get; } = momentum;

    public override void BeforeTrainBatch(TrainingContext context)
    {
        context.LearningRate = LearningRate.At(context.Position);
        if (Momentum is not null)
            context.Momentum = Momentum.At(context.Position);
    }
}
