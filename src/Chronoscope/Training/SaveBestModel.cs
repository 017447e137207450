namespace Chronoscope.Training;

/// <summary>Saves the model (atomically) whenever the monitored value improves; <see cref="BestEpoch"/> tells which epoch was kept.</summary>
public sealed class SaveBestModel(string path, MetricMonitor? monitor = null) : Callback
{
    private double? _best;

    public string Path { get; } = path;

    public MetricMonitor Monitor { get; } = monitor ?? new MetricMonitor();

    /// <summary>The epoch whose weights are in <see cref="Path"/>, or null before the first save.</summary>
    public int? BestEpoch { get; private set; }

    public override int Order => 30;

    public override void BeforeFit(TrainingContext context)
    {
        _best = null;
        BestEpoch = null;
    }

    public override void AfterValidate(TrainingContext context)
    {
        var value = context.LastEpoch![Monitor.Name];
        if (!Monitor.Improves(value, _best))
            return;
        _best = value;
        BestEpoch = context.Epoch;
        context.Learner.Save(Path);
    }
}
