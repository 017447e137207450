using System.Globalization;
using System.Text;
using Chronoscope.Explain;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Class activation maps as CSV, invariant culture, one row per item (per item and channel for channel × time maps,
/// which gain a <c>channel</c> column after <c>item</c>: the channel's index, or its name when the data names its channels):
/// <c>item,label,explained,predicted,confidence,t0,t1,…</c> — the item's index in the data, its true class (empty for
/// unlabelled data), the class the map explains, the predicted class (class labels as the data files write them), the
/// model's probability for the explained class, then one map value per time step. Cells after a shorter series' true
/// length are empty. A series on which the network's output is not finite (<see cref="ActivationMaps.NonFinite"/>) has
/// <c>?</c> as its prediction and empty confidence and map cells: its numbers mean nothing. Values are written in their shortest round-trip form. Rows can be appended batch by batch.
/// Maps of an ensemble (the mean of its members' maps) gain a second block of columns after the map,
/// <c>member_sd_t0,member_sd_t1,…</c>: at each step the standard deviation of the members' maps around that mean
/// (<see cref="ActivationMaps.MemberSpread"/>, scaled with the map), empty where the map is. One network's CSV has no such columns.
/// </summary>
internal sealed class ActivationMapsCsv : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly int _length;
    private readonly int _channels;
    private readonly IReadOnlyList<string>? _channelNames;
    private readonly bool _memberSpread;

    /// <param name="stream">Where to write; left open.</param>
    /// <param name="length">T, the number of map columns (the data's longest series).</param>
    /// <param name="channels">Rows per map: 1 for time-only maps (no channel column), C for channel × time maps.</param>
    /// <param name="channelNames">The channels' names, written in the channel column instead of their indices; null to write the indices.</param>
    /// <param name="memberSpread">True for an ensemble's maps: the <c>member_sd_t*</c> columns follow the map's.</param>
    public ActivationMapsCsv(Stream stream, int length, int channels = 1, IReadOnlyList<string>? channelNames = null, bool memberSpread = false)
    {
        _channelNames = channelNames;
        _memberSpread = memberSpread;
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        _length = length;
        _channels = channels;
        _writer.Write(channels > 1 ? "item,channel,label,explained,predicted,confidence" : "item,label,explained,predicted,confidence");
        for (var t = 0; t < length; t++)
        {
            _writer.Write(",t");
            _writer.Write(t.ToString(CultureInfo.InvariantCulture));
        }
        for (var t = 0; t < length && memberSpread; t++)
        {
            _writer.Write(",member_sd_t");
            _writer.Write(t.ToString(CultureInfo.InvariantCulture));
        }
        _writer.WriteLine();
    }

    /// <summary>Appends a row per map of <paramref name="maps"/>, each cut to its series' true length.</summary>
    public void Write(ActivationMaps maps)
    {
        if (maps.Length != _length)
            throw new ArgumentException($"expected maps of {_length} steps, found {maps.Length}", nameof(maps));
        if (maps.Channels != _channels)
            throw new ArgumentException($"expected maps of {_channels} row(s), found {maps.Channels}", nameof(maps));
        if (_memberSpread != maps.MemberSpread is not null)
            throw new ArgumentException(_memberSpread ? "expected an ensemble's maps, with their member spread" : "expected one network's maps, found an ensemble's", nameof(maps));
        var nonFinite = maps.NonFinite.ToHashSet();
        for (var row = 0; row < maps.Count * _channels; row++)
        {
            var (k, channel) = (row / _channels, row % _channels);
            var marked = nonFinite.Contains(k);
            var item = maps.Items[k];
            _writer.Write(item.ToString(CultureInfo.InvariantCulture));
            _writer.Write(',');
            if (_channels > 1)
            {
                _writer.Write(_channelNames is { } names ? Field(names[channel]) : channel.ToString(CultureInfo.InvariantCulture));
                _writer.Write(',');
            }
            _writer.Write(maps.Labels is { } labels ? Field(maps.Classes[labels[k]]) : "");
            _writer.Write(',');
            _writer.Write(Field(maps.Classes[maps.ExplainedClasses[k]]));
            _writer.Write(',');
            _writer.Write(marked ? ModelWarnings.NoPrediction : Field(maps.Classes[maps.Predicted(k)]));
            _writer.Write(',');
            if (!marked)
                _writer.Write(maps.Confidence(k).ToString(CultureInfo.InvariantCulture));
            var map = maps.Map(k, channel);
            var trueLength = marked ? 0 : maps.SeriesLength(k);
            for (var t = 0; t < _length; t++)
            {
                _writer.Write(',');
                if (t < trueLength)
                    _writer.Write(map[t].ToString(CultureInfo.InvariantCulture));
            }
            if (maps.MemberSpread is { } spread)
            {
                var offset = row * _length; // the spread is laid out as Values: (Count, Channels, T)
                for (var t = 0; t < _length; t++)
                {
                    _writer.Write(',');
                    if (t < trueLength)
                        _writer.Write(spread[offset + t].ToString(CultureInfo.InvariantCulture));
                }
            }
            _writer.WriteLine();
        }
    }

    /// <summary>A cell, quoted as RFC 4180 asks when it holds a comma, a quote or a line break.</summary>
    internal static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public void Dispose() => _writer.Dispose();
}
