namespace Chronoscope.Data.Formats;

/// <summary>
/// The values of the case being parsed, channel after channel, in one reusable array: readers append
/// values and close each channel, then hand the case to <see cref="DatasetBuilder"/>.
/// </summary>
/// <param name="nonFiniteAsMissing">The read's rule for values a float cannot hold (<see cref="ReadOptions.NonFiniteAsMissing"/>).</param>
internal sealed class CaseBuffer(bool nonFiniteAsMissing = false)
{
    private float[] _values = new float[4096];
    private int[] _channelEnds = new int[16];

    /// <summary>Parses one value field by the read's rule (<see cref="Utf8FloatParser.TryParseValue"/>); false when it is not a value.</summary>
    public bool TryParse(ReadOnlySpan<byte> field, out float value) => Utf8FloatParser.TryParseValue(field, out value, nonFiniteAsMissing);

    /// <summary>Values appended so far, over all channels.</summary>
    public int Count { get; private set; }

    /// <summary>Channels closed so far.</summary>
    public int Channels { get; private set; }

    /// <summary>Values appended since the last closed channel.</summary>
    public int OpenChannelLength => Count - (Channels == 0 ? 0 : _channelEnds[Channels - 1]);

    public void Clear()
    {
        Count = 0;
        Channels = 0;
    }

    public void Add(float value)
    {
        if (Count == _values.Length)
            Grow(Count + 1);
        _values[Count++] = value;
    }

    /// <summary>Room for <paramref name="count"/> more values of the open channel, to be filled by the caller.</summary>
    public Span<float> Append(int count)
    {
        if (Count + count > _values.Length)
            Grow(Count + count);
        var span = _values.AsSpan(Count, count);
        Count += count;
        return span;
    }

    /// <summary>Closes the open channel; its length is <see cref="OpenChannelLength"/>.</summary>
    public void EndChannel()
    {
        if (Channels == _channelEnds.Length)
            Array.Resize(ref _channelEnds, _channelEnds.Length * 2);
        _channelEnds[Channels++] = Count;
    }

    public ReadOnlySpan<float> Channel(int channel)
    {
        var start = channel == 0 ? 0 : _channelEnds[channel - 1];
        return _values.AsSpan(start, _channelEnds[channel] - start);
    }

    /// <summary>The longest closed channel.</summary>
    public int MaxChannelLength()
    {
        var max = 0;
        for (var c = 0; c < Channels; c++)
            max = Math.Max(max, Channel(c).Length);
        return max;
    }

    private void Grow(int needed)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_values.Length * 2, needed));
        Array.Resize(ref _values, size);
    }
}
