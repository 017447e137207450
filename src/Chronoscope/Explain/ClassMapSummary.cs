using Chronoscope.Data;

namespace Chronoscope.Explain;

/// <summary>
/// Which time steps each class relies on: per class, the mean and standard deviation of the maps of its series at
/// every time step, with the mean and standard deviation of the series themselves (as read, before normalization).
/// Maps are added batch by batch (<see cref="Add"/>) into running statistics (Welford's update), so a set of any size
/// is summarised in memory proportional to classes × length, never to the number of series.
/// <code>
/// var summary = ClassMapSummary.Compute(new Explainer(classifier), validation); // Grad-CAM, scaled, per label
/// double[] gun = summary.MeanMap(0);                                          // (L)
/// </code>
/// </summary>
/// <remarks>
/// A series counts for its true class when the data is labelled, else for the class its map explains. A series
/// shorter than the data's length (variable-length data) counts only at its own steps; so does a value that is not
/// finite (a missing value as read). Standard deviations are those of the population (divided by n, not n − 1): they
/// describe the spread of the maps seen, not an estimate.
/// </remarks>
public sealed class ClassMapSummary
{
    private readonly Statistics[] _maps;   // per class, over the L steps
    private readonly Statistics[] _series; // per class, over the C × L values (row-major)
    private readonly int[] _counts;

    /// <summary>An empty summary for series of <paramref name="channels"/> channels and <paramref name="length"/> steps.</summary>
    public ClassMapSummary(IReadOnlyList<string> classes, int channels, int length)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Classes = classes;
        Channels = channels;
        Length = length;
        _maps = [.. classes.Select(_ => new Statistics(length, length))];
        _series = [.. classes.Select(_ => new Statistics(channels * length, length))];
        _counts = new int[classes.Count];
    }

    /// <summary>The class names, as the model's.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>C, channels per series.</summary>
    public int Channels { get; }

    /// <summary>L, steps per series.</summary>
    public int Length { get; }

    /// <summary>The title of the maps added (e.g. <c>GRAD-CAM - mean</c>); null before the first <see cref="Add"/>.</summary>
    public string? Title { get; private set; }

    /// <summary>True when the maps added were scaled (<see cref="ActivationMaps.Scaled"/>); false before the first <see cref="Add"/>.</summary>
    public bool Scaled { get; private set; }

    /// <summary>
    /// The colour range of the maps added: the scale range of scaled maps (0..1 by default), else the smallest and
    /// largest value over every map added (as <see cref="ActivationMaps.Low"/>); NaN before the first <see cref="Add"/>.
    /// </summary>
    public double Low { get; private set; } = double.NaN;

    /// <inheritdoc cref="Low"/>
    public double High { get; private set; } = double.NaN;

    /// <summary>How many series were added, in all.</summary>
    public int Total => _counts.Sum();

    /// <summary>How many series of class <paramref name="classIndex"/> were added.</summary>
    public int Count(int classIndex) => _counts[CheckClass(classIndex)];

    /// <summary>The mean map of class <paramref name="classIndex"/>, (L); NaN at steps no series of the class reaches.</summary>
    public double[] MeanMap(int classIndex) => _maps[CheckClass(classIndex)].Means();

    /// <summary>The standard deviation of the maps of class <paramref name="classIndex"/> per step, (L); NaN where no series reaches.</summary>
    public double[] MapStandardDeviation(int classIndex) => _maps[CheckClass(classIndex)].StandardDeviations();

    /// <summary>The mean series of class <paramref name="classIndex"/>, (C, L) row-major; NaN where no value was seen.</summary>
    public double[] MeanSeries(int classIndex) => _series[CheckClass(classIndex)].Means();

    /// <summary>The standard deviation of the series of class <paramref name="classIndex"/>, (C, L) row-major.</summary>
    public double[] SeriesStandardDeviation(int classIndex) => _series[CheckClass(classIndex)].StandardDeviations();

    /// <summary>Adds <paramref name="maps"/>, with the series they explain (<see cref="ActivationMaps.Series"/>).</summary>
    /// <exception cref="ArgumentException">The maps are of other classes, another length or another number of channels
    /// than the summary, are not time-only maps, or are of another kind than the maps added before.</exception>
    public void Add(ActivationMaps maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (!maps.Classes.SequenceEqual(Classes, StringComparer.Ordinal))
            throw new ArgumentException($"the maps explain classes {string.Join(", ", maps.Classes)}, the summary is of {string.Join(", ", Classes)}", nameof(maps));
        if (maps.Length != Length || maps.SeriesChannels != Channels)
            throw new ArgumentException($"expected maps and series of {Channels} channel(s) and {Length} steps, found maps of {maps.Length} steps over series of {maps.SeriesChannels} channel(s)", nameof(maps));
        if (maps.Channels != 1)
            throw new ArgumentException($"expected time-only maps (one row per map), found {maps.Title} maps of {maps.Channels} channels: summarise a CAM-family method", nameof(maps));
        if (Title is not null && (Title != maps.Title || Scaled != maps.Scaled))
            throw new ArgumentException($"the summary holds {Describe(Title, Scaled)} maps, these are {Describe(maps.Title, maps.Scaled)}: summarise one kind of map", nameof(maps));
        Title = maps.Title;
        Scaled = maps.Scaled;
        Low = double.IsNaN(Low) ? maps.Low : Math.Min(Low, maps.Low);
        High = double.IsNaN(High) ? maps.High : Math.Max(High, maps.High);

        for (var k = 0; k < maps.Count; k++)
        {
            var classIndex = maps.Labels?[k] ?? maps.ExplainedClasses[k];
            var steps = maps.SeriesLength(k);
            _counts[classIndex]++;
            _maps[classIndex].Add(maps.Map(k), steps, Length);
            _series[classIndex].Add(maps.Series(k), steps, steps);
        }
    }

    /// <summary>
    /// The summary of every series of <paramref name="loader"/>, explained <see cref="ExplainOptions.BatchSize"/> at a
    /// time (only one batch of maps is held at once). <paramref name="progress"/> hears the number of series done after
    /// each batch; <paramref name="cancellationToken"/> is checked between batches.
    /// </summary>
    public static ClassMapSummary Compute(Explainer explainer, DataLoader loader, ExplainOptions? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(explainer);
        ArgumentNullException.ThrowIfNull(loader);
        options ??= new ExplainOptions();
        var summary = new ClassMapSummary(explainer.Classifier.Classes, loader.Dataset.Channels, loader.Dataset.Length);
        var done = 0;
        foreach (var chunk in Enumerable.Range(0, loader.Count).Chunk(Math.Max(1, options.BatchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            summary.Add(explainer.Explain(loader, chunk, options, cancellationToken));
            done += chunk.Length;
            progress?.Report(done);
        }
        return summary;
    }

    private int CheckClass(int classIndex)
    {
        if (classIndex < 0 || classIndex >= Classes.Count)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"expected a class from 0 to {Classes.Count - 1}");
        return classIndex;
    }

    private static string Describe(string title, bool scaled) => $"{title} ({(scaled ? "scaled" : "raw")})";

    /// <summary>Welford's running mean and sum of squared deviations for each of rows of <paramref name="stride"/> positions.</summary>
    private sealed class Statistics(int size, int stride)
    {
        private readonly long[] _n = new long[size];
        private readonly double[] _mean = new double[size];
        private readonly double[] _squares = new double[size];

        /// <summary>
        /// Adds values laid out as rows of <paramref name="sourceStride"/> steps (one per channel), of which the first
        /// <paramref name="steps"/> of each count, at the positions of rows of <c>stride</c>; values that are
        /// not finite are skipped.
        /// </summary>
        public void Add(ReadOnlySpan<float> values, int steps, int sourceStride)
        {
            for (int source = 0, start = 0; source < values.Length; source += sourceStride, start += stride)
            {
                for (var t = 0; t < steps; t++)
                {
                    var value = (double)values[source + t];
                    if (!double.IsFinite(value))
                        continue;
                    var i = start + t;
                    var n = ++_n[i];
                    var delta = value - _mean[i];
                    _mean[i] += delta / n;
                    _squares[i] += delta * (value - _mean[i]);
                }
            }
        }

        public double[] Means() => [.. Enumerable.Range(0, _n.Length).Select(i => _n[i] == 0 ? double.NaN : _mean[i])];

        public double[] StandardDeviations() =>
            [.. Enumerable.Range(0, _n.Length).Select(i => _n[i] == 0 ? double.NaN : Math.Sqrt(Math.Max(0, _squares[i] / _n[i])))];
    }
}
