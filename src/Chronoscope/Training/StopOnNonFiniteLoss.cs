using System.Globalization;

namespace Chronoscope.Training;

/// <summary>
/// Stops the fit at the first training batch whose loss is not finite (NaN or infinity: a learning rate too high, values
/// too large), before that batch's step reaches the weights, and at the first epoch whose validation loss is not finite.
/// On by default in every fit (<see cref="Learner.Fit(int, Schedule, Schedule?, IEnumerable{Callback}?, CancellationToken)"/>
/// adds one unless the caller passes its own); the epochs finished before stay in the history.
/// </summary>
public sealed class StopOnNonFiniteLoss : Callback
{
    /// <summary>True once it stopped a fit.</summary>
    public bool Triggered { get; private set; }

    /// <summary>Why it stopped, or null.</summary>
    public string? Reason { get; private set; }

    public override int Order => -10;

    public override void BeforeFit(TrainingContext context)
    {
        Triggered = false;
        Reason = null;
    }

    public override void AfterLoss(TrainingContext context)
    {
        var loss = context.Loss!.item<float>();
        if (!float.IsFinite(loss))
            Stop(context, string.Create(CultureInfo.InvariantCulture, $"the training loss became {loss} at epoch {context.Epoch + 1}, batch {context.BatchIndex + 1}"));
    }

    public override void AfterValidate(TrainingContext context)
    {
        var loss = context.LastEpoch!.ValidLoss;
        if (!double.IsFinite(loss))
            Stop(context, string.Create(CultureInfo.InvariantCulture, $"the validation loss became {loss} at epoch {context.Epoch + 1}"));
    }

    private void Stop(TrainingContext context, string what)
    {
        Triggered = true;
        Reason = $"{what}: training diverged (a lower learning rate, or data with smaller values, usually helps).";
        context.RequestStop(Reason);
    }
}
