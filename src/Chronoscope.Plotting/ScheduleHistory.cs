using Chronoscope.Training;

namespace Chronoscope.Plotting;

/// <summary>The hyper-parameters a scheduler set at each iteration (e.g. one-cycle): what <see cref="Pictures.PlotSchedule"/> draws.</summary>
/// <param name="LearningRates">The learning rate at each iteration.</param>
/// <param name="Momentums">The momentum (or Adam's β₁) at each iteration; null when the optimizer has none.</param>
public sealed record ScheduleHistory(double[] LearningRates, double[]? Momentums)
{
    /// <summary>The learning rate and momentum of every batch of a learner's last fit, as fastai's <c>recorder.plot_sched()</c>.</summary>
    public static ScheduleHistory From(Recorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new ScheduleHistory([.. recorder.LearningRates], [.. recorder.Momentums]);
    }
}
