using System.Globalization;
using Chronoscope.Data;

namespace Chronoscope.Training;

/// <summary>
/// Says when the training series' scales differ by orders of magnitude and nothing scales each series: the network
/// then sees the quiet series as flat. Measured on the archive's PLAID (electric currents, deviations from 7e-5 to 96;
/// 95th over 5th percentile 7e5): 0.51 test accuracy as read, 0.86 with per-sample normalization. Where amplitude
/// carries the class the spread is far smaller (BasicMotions 88, JapaneseVowels 5, Chinatown 1.7) and per-sample
/// normalization costs accuracy (BasicMotions 1.000 → 0.950, JapaneseVowels 0.980 → 0.811), so this is a note, not a
/// default.
/// </summary>
internal sealed class ScaleSpreadCheck : Callback
{
    /// <summary>The 95th over the 5th percentile of the series' deviations from which the note is given: 3 orders of magnitude.</summary>
    private const double NotableSpread = 1e3;

    public override void BeforeFit(TrainingContext context)
    {
        var data = context.Learner.Data;
        if (data.Normalizer.Kind == Normalization.PerSample)
            return;
        if (SeriesScales.Spread(data.Train.Dataset) is not { } spread || spread.High / spread.Low < NotableSpread)
            return;
        var channel = data.Channels > 1 ? $" of channel {spread.Channel}" : "";
        context.Note(string.Create(CultureInfo.InvariantCulture,
            $"the training series' standard deviations{channel} span {Math.Log10(spread.High / spread.Low):0.#} orders of magnitude ({spread.Low:G3} at the 5th percentile, {spread.High:G3} at the 95th): with one scale for all, the network sees the quiet ones as flat. Unless amplitude is what tells the classes apart, consider per-sample normalization (--normalize per-sample; on the archive's PLAID it took accuracy from 0.51 to 0.86)."));
    }
}
