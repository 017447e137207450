namespace Chronoscope.Plotting;

/// <summary>The hyper-parameters a scheduler set at each iteration (e.g. one-cycle): what <see cref="Pictures.PlotSchedule"/> draws.</summary>
/// <param name="LearningRates">The learning rate at each iteration.</param>
/// <param name="Momentums">The momentum (or Adam's β₁) at each iteration; null when the optimizer has none.</param>
public sealed record ScheduleHistory(double[] LearningRates, double[]? Momentums);
