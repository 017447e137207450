namespace Chronoscope.Data.Formats;

/// <summary>
/// Gathers parsed cases into the (N, C, L) array of a <see cref="TimeSeriesDataset"/> with as little memory
/// as the data allows. Readers count the cases in a first pass, so while every case has the length of the
/// first one the values go straight into one array of exactly N·C·L floats (the returned dataset keeps it:
/// no copy, no growth). Only when a case of another length arrives, in a format that allows it, do the
/// cases move to one array each, padded into the final array at the end.
/// </summary>
/// <remarks>
/// Readers check the shapes (channels, lengths) against what the file declares before adding a case; the
/// builder trusts them. Within a case, a channel shorter than the case's longest is padded after its end.
/// </remarks>
internal sealed class DatasetBuilder
{
    private readonly Utf8LineReader _reader;
    private readonly int _capacity;
    private readonly float _padding;
    private readonly bool _trailingNaNIsPadding;
    private readonly bool _labelled;

    private int _channels;
    private int _stride;                 // the length of every case while they all share it
    private float[]? _dense;             // (capacity, C, stride) while lengths agree
    private List<float[]>? _ragged;      // one (C, length) array per case once they do not
    private List<int>? _raggedLengths;
    private string[] _labels;
    private int[] _lengths;

    /// <param name="reader">The file's reader: the line of every message, the source of the dataset.</param>
    /// <param name="expectedCount">The cases the first pass counted; more may come (the array then grows).</param>
    /// <param name="padding">What fills steps after a series' end.</param>
    /// <param name="labelled">Whether each case has a label.</param>
    /// <param name="trailingNaNIsPadding">
    /// The UCR 2018 rule: NaNs after a case's last number are padding, its true length ends at the last number.
    /// </param>
    public DatasetBuilder(Utf8LineReader reader, long expectedCount, PaddingValue padding, bool labelled, bool trailingNaNIsPadding = false)
    {
        _reader = reader;
        _capacity = (int)Math.Clamp(expectedCount, 1, Array.MaxLength);
        _padding = padding == PaddingValue.NaN ? float.NaN : 0f;
        _labelled = labelled;
        _trailingNaNIsPadding = trailingNaNIsPadding;
        _labels = labelled ? new string[_capacity] : [];
        _lengths = new int[_capacity];
    }

    /// <summary>Cases added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the case in <paramref name="values"/> (its channels closed) with its label (null when unlabelled).</summary>
    public void Add(CaseBuffer values, string? label)
    {
        var caseLength = values.MaxChannelLength();
        var trueLength = _trailingNaNIsPadding ? LastNumberEnd(values) : caseLength;
        if (trueLength == 0)
        {
            throw _reader.Fail(
                "expected at least one number in the series, found only NaN (trailing NaNs are padding, so this series would be empty).");
        }

        if (Count == 0)
        {
            _channels = values.Channels;
            _stride = caseLength;
            var size = (long)_capacity * _channels * _stride;
            if (size > Array.MaxLength)
            {
                throw _reader.Fail(
                    $"expected at most {Array.MaxLength:N0} values in one dataset, found {_capacity:N0} cases of {_channels}×{_stride}; split the file.");
            }
            _dense = GC.AllocateUninitializedArray<float>((int)size);
        }

        if (Count == _lengths.Length)
            GrowCaseArrays();

        if (_dense is not null && caseLength == _stride)
        {
            var rowSize = _channels * _stride;
            if ((long)(Count + 1) * rowSize > _dense.Length)
                Array.Resize(ref _dense, (int)Math.Min(Array.MaxLength, (long)_lengths.Length * rowSize));
            Write(values, _dense.AsSpan(Count * rowSize, rowSize), _stride);
        }
        else
        {
            if (_dense is not null)
                MoveToRagged();
            var row = new float[_channels * caseLength];
            Write(values, row, caseLength);
            _ragged!.Add(row);
            _raggedLengths!.Add(caseLength);
        }

        if (_labelled)
            _labels[Count] = label!;
        _lengths[Count] = trueLength;
        Count++;
    }

    /// <summary>The dataset; <paramref name="whenEmpty"/> is the problem reported when no case was added.</summary>
    public TimeSeriesDataset Build(string name, IEnumerable<string>? declaredClasses, string whenEmpty)
    {
        if (Count == 0)
            throw _reader.FailAtEnd(whenEmpty);

        float[] values;
        int length;
        if (_dense is not null)
        {
            length = _stride;
            var rowSize = _channels * _stride;
            values = _dense.Length == Count * rowSize ? _dense : _dense.AsSpan(0, Count * rowSize).ToArray();
            _dense = null;
            if (_trailingNaNIsPadding)
                (values, length) = TrimPadding(values, length);
        }
        else
        {
            length = _raggedLengths!.Max();
            values = GC.AllocateUninitializedArray<float>(checked(Count * _channels * length));
            for (var i = 0; i < Count; i++)
            {
                var caseLength = _raggedLengths![i];
                for (var c = 0; c < _channels; c++)
                {
                    var target = values.AsSpan((i * _channels + c) * length, length);
                    _ragged![i].AsSpan(c * caseLength, caseLength).CopyTo(target);
                    target[caseLength..].Fill(_padding);
                }
            }
            _ragged = null;
        }

        var lengths = _lengths.AsSpan(0, Count).ToArray();
        var labels = _labelled ? _labels.AsSpan(0, Count).ToArray() : null;
        return new TimeSeriesDataset(
            name, values, Count, _channels, length, labels, declaredClasses,
            lengths.AsSpan().ContainsAnyExcept(length) ? lengths : null, [_reader.Path]);
    }

    /// <summary>Copies a case into a (C, <paramref name="stride"/>) row, padding short channels.</summary>
    private void Write(CaseBuffer values, Span<float> row, int stride)
    {
        for (var c = 0; c < _channels; c++)
        {
            var channel = values.Channel(c);
            var target = row.Slice(c * stride, stride);
            channel.CopyTo(target);
            target[channel.Length..].Fill(_padding);
        }
    }

    /// <summary>
    /// With the UCR 2018 rule, turns the NaN tails into <see cref="ReadOptions.Padding"/> and drops the steps
    /// no series reaches.
    /// </summary>
    private (float[] Values, int Length) TrimPadding(float[] values, int length)
    {
        var longest = _lengths.Take(Count).Max();
        if (!float.IsNaN(_padding))
        {
            for (var row = 0; row < Count * _channels; row++)
                values.AsSpan(row * length + _lengths[row / _channels], length - _lengths[row / _channels]).Fill(_padding);
        }
        if (longest == length)
            return (values, length);

        var trimmed = GC.AllocateUninitializedArray<float>(Count * _channels * longest);
        for (var row = 0; row < Count * _channels; row++)
            values.AsSpan(row * length, longest).CopyTo(trimmed.AsSpan(row * longest));
        return (trimmed, longest);
    }

    private void MoveToRagged()
    {
        var rowSize = _channels * _stride;
        _ragged = new List<float[]>(_lengths.Length);
        _raggedLengths = new List<int>(_lengths.Length);
        for (var i = 0; i < Count; i++)
        {
            _ragged.Add(_dense!.AsSpan(i * rowSize, rowSize).ToArray());
            _raggedLengths.Add(_stride);
        }
        _dense = null;
    }

    private void GrowCaseArrays()
    {
        var size = (int)Math.Min(Array.MaxLength, (long)_lengths.Length * 2);
        Array.Resize(ref _lengths, size);
        if (_labelled)
            Array.Resize(ref _labels, size);
    }

    /// <summary>One past the last step, over all channels, that holds a number (not NaN).</summary>
    private static int LastNumberEnd(CaseBuffer values)
    {
        var end = 0;
        for (var c = 0; c < values.Channels; c++)
        {
            var channel = values.Channel(c);
            var last = channel.Length - 1;
            while (last >= 0 && float.IsNaN(channel[last]))
                last--;
            end = Math.Max(end, last + 1);
        }
        return end;
    }
}
