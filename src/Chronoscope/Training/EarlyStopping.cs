namespace Chronoscope.Training;

/// <summary>Stops the fit when the monitored value has not improved for <c>patience</c> validations (epochs, unless <see cref="LearnerOptions.ValidationInterval"/> says otherwise).</summary>
public sealed class EarlyStopping(MetricMonitor? monitor = null, int patience = 3) : Callback
{
    private double? _best;
    private int _waited;

    public MetricMonitor Monitor { get; } = monitor ?? new MetricMonitor();

    public int Patience { get; } = patience;

    public override int Order => 20;

    public override void BeforeFit(TrainingContext context)
    {
        _best = null;
        _waited = 0;
    }

    public override void AfterValidate(TrainingContext context)
    {
        var value = context.LastEpoch![Monitor.Name];
        if (Monitor.Improves(value, _best))
        {
            _best = value;
            _waited = 0;
            return;
        }
        if (++_waited >= Patience)
            context.RequestStop($"{Monitor.Name} did not improve for {Patience} epochs (best {_best:G6}).");
    }
}
