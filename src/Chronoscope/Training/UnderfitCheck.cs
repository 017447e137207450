using System.Globalization;

namespace Chronoscope.Training;

/// <summary>
/// Says when a fit ends with its training loss (the last epoch's, fastai's smoothed loss as the table shows it) far
/// above the lowest the loss can reach (<see cref="LossFloor(int, double)"/>): the network has not fit its training series, and more
/// training may pay. Measured on archive datasets (docs/accuracy.md): fits that ended 0.18-0.53 above the floor gained
/// from more steps (Beef 0.68 → 0.78, ACSF1 0.85 → 0.88, 3 seeds each); fits that ended 0.02-0.05 above it gained
/// nothing (ShapeletSim, PickupGestureWiimoteZ). The default fits of shared/data's sets end within 0.01 of it, but
/// PhalangesOutlinesCorrect's (0.14-0.20 above), whose accuracy twice the epochs did not raise (0.837 either way, 2
/// seeds): a loss far from its floor also comes of classes that overlap, and the note says both.
/// </summary>
internal sealed class UnderfitCheck : Callback
{
    /// <summary>How far above the floor, in nats, a final training loss must be for the note.</summary>
    internal const double Margin = 0.1;

    public override void AfterFit(TrainingContext context)
    {
        // A fit stopped early or cancelled ended where it was told to, not where its budget did.
        if (context.StopRequested || context.CancellationToken.IsCancellationRequested || context.LastEpoch is not { } last)
            return;
        var floor = LossFloor(context.Learner);
        if (!(last.TrainLoss - floor > Margin)) // a NaN loss is StopOnNonFiniteLoss's to report
            return;
        context.Note(string.Create(CultureInfo.InvariantCulture,
            $"the training loss ended at {last.TrainLoss:0.00}, {last.TrainLoss - floor:0.00} above {DescribeFloor(context.Learner)}: the network has not fit its training series. More epochs (--epochs N) may pay (the archive's ACSF1: 0.85 in 25 epochs, final loss 0.96; 0.89 in 68, loss 0.71), or not where classes overlap (PhalangesOutlinesCorrect: 0.837 in 25 epochs and in 50, loss 0.36 and 0.32)."));
    }

    /// <summary>The least mean training loss of <paramref name="learner"/>'s loss function on its classes.</summary>
    internal static double LossFloor(Learner learner) => LossFloor(learner.Data.Classes.Count, Smoothing(learner));

    /// <summary>The floor as a note says it, e.g. "label smoothing's floor of 0.39 for 5 classes".</summary>
    internal static string DescribeFloor(Learner learner) => Smoothing(learner) > 0
        ? string.Create(CultureInfo.InvariantCulture, $"label smoothing's floor of {LossFloor(learner):0.00} for {learner.Data.Classes.Count} classes")
        : "0, cross-entropy's floor";

    /// <summary>
    /// The least mean loss over <paramref name="classes"/> classes with label smoothing <paramref name="smoothing"/>:
    /// the entropy of the smoothed target, 1 − ε + ε/K on the true class and ε/K on each other (0 without smoothing).
    /// </summary>
    internal static double LossFloor(int classes, double smoothing)
    {
        if (classes < 2 || smoothing <= 0)
            return 0;
        var other = smoothing / classes;
        var own = 1 - smoothing + other;
        return -own * Math.Log(own) - (classes - 1) * other * Math.Log(other);
    }

    private static double Smoothing(Learner learner) =>
        learner.Options.Loss == LossKind.LabelSmoothingCrossEntropy ? learner.Options.LabelSmoothing : 0;
}
