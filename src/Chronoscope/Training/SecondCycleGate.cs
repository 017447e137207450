using System.Globalization;

namespace Chronoscope.Training;

/// <summary>
/// Ends a fit of two one-cycles (<see cref="TrainingBudget.SecondCycleEpochs"/>) after the first unless its training
/// loss (fastai's smoothed loss at the first cycle's last step) is still more than <see cref="UnderfitCheck.Margin"/>
/// above its floor; when the second runs, a note says why. Measured with the budget's work bounds (docs/accuracy.md):
/// the archive's ACSF1 ended its first cycle 0.42-0.53 above the floor, and the second took it from 0.850 to 0.893 (3
/// seeds; Beef, 0.21-0.28 above, hardly moved: 0.700 → 0.711 over 6 seeds); DiatomSizeReduction, ShapeletSim and
/// PickupGestureWiimoteZ ended 0.003-0.05 above it, where one cycle of the same 500 steps had gained nothing in twice or more
/// the time.
/// </summary>
internal sealed class SecondCycleGate(int firstCycleEpochs, int secondCycleEpochs) : Callback
{
    // After LossSmoother (-30), whose loss it reads, and WeightAveraging (-27), which reads the fit's progress before
    // an early end changes it; before the callbacks that read the epoch count.
    public override int Order => -26;

    public override void AfterTrainBatch(TrainingContext context)
    {
        if (context.Epoch != firstCycleEpochs - 1 || context.BatchIndex != context.BatchCount - 1
            || context.StopRequested || context.CancellationToken.IsCancellationRequested)
            return;
        var above = context.SmoothedLoss - UnderfitCheck.LossFloor(context.Learner);
        if (above > UnderfitCheck.Margin)
        {
            context.Note(string.Create(CultureInfo.InvariantCulture,
                $"the training loss ended the first cycle of {firstCycleEpochs} epochs at {context.SmoothedLoss:0.00}, {above:0.00} above {UnderfitCheck.DescribeFloor(context.Learner)}: a second cycle of {secondCycleEpochs} epochs follows (the archive's ACSF1: 0.85 after the first, 0.89 after the second, 3 seeds)."));
        }
        else
        {
            context.EndAfterEpoch(); // a NaN loss ends here too, if StopOnNonFiniteLoss has not stopped the fit already
        }
    }
}
