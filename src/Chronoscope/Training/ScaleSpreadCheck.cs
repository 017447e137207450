using Chronoscope.Data;

namespace Chronoscope.Training;

/// <summary>
/// Says when the training series' scales differ by orders of magnitude (<see cref="ScaleSpread.IsWide"/>) and a
/// normalization was asked for that does not scale each series: the network then sees the quiet series as flat. Left
/// to the data (<see cref="DataLoadersOptions.Normalization"/> null) such series are scaled each on its own; given
/// explicitly, the choice stands, since amplitude may be what tells the classes apart, and this note says what it costs
/// where it is not (the archive's PLAID: 0.51 as read, 0.86 per sample).
/// </summary>
internal sealed class ScaleSpreadCheck : Callback
{
    public override void BeforeFit(TrainingContext context)
    {
        var data = context.Learner.Data;
        // Left to the data, the loaders judged the same spread (on the series as read) and chose.
        if (data.Normalizer.Kind == Normalization.PerSample || data.NormalizationReason is not null)
            return;
        if (SeriesScales.Spread(data.Train.Dataset) is not { IsWide: true } spread)
            return;
        context.Note($"{spread.Describe(data.Channels)}: with one scale for all, the network sees the quiet ones as flat. Unless amplitude is what tells the classes apart, consider per-sample normalization (--normalize per-sample, or auto, which chooses it from such a spread; on the archive's PLAID it took accuracy from 0.51 to 0.86).");
    }
}
