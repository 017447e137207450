namespace Chronoscope.Training;

/// <summary>
/// How long to train when no epoch count is given (<c>--epochs auto</c>, the command line's default): the budget counts
/// optimizer steps, not epochs, because an epoch of a small training set is one or two steps. A one-cycle of enough
/// epochs for <see cref="MinimumSteps"/> steps as far as <see cref="CycleWork"/> allows (which bounds the time long
/// series take), and at least <see cref="MinimumEpochs"/> whatever the work (a large training set has steps enough).
/// Where the work held the first cycle below the steps, a second cycle brings them, within <see cref="MaximumWork"/> in
/// all, if the first ends with the training loss still far above its floor (<see cref="SecondCycleEpochs"/>).
/// </summary>
public sealed record TrainingBudget
{
    /// <summary>
    /// The one-cycle peak learning rate that goes with the budget. Defaults to 3e-3: measured on the archive's small
    /// training sets, 500 steps at 3e-3 came within about 0.01 of 1,000 steps at 1e-3 (the reference's rate).
    /// </summary>
    public double MaxLearningRate { get; init; } = 3e-3;

    /// <summary>Optimizer steps to reach. Defaults to 500.</summary>
    public int MinimumSteps { get; init; } = 500;

    /// <summary>Epochs at least, so a large training set still sees each series this often. Defaults to 25 (the reference's fit).</summary>
    public int MinimumEpochs { get; init; } = 25;

    /// <summary>
    /// The most work of the first cycle, in series × time steps passed forward and backward (e.g. 250 epochs of 16
    /// series of length 100 = 400,000); the automatic batch shrinks, down to 8, to bring <see cref="MinimumSteps"/>
    /// within it, as more steps of smaller batches cost less time than more epochs. Defaults to 1 million (OSULeaf, 200
    /// series of 427 steps: batches of 10 for 500 steps in 25 epochs, where a quarter, 50, would give 100 steps). Long
    /// series in small sets fall short of the steps even in batches of 8 (the archive's Beef, 30 series of 470 steps: 88
    /// epochs of 3 batches, 264 steps), and a batch size given explicitly may too: <see cref="SecondCycleEpochs"/>.
    /// </summary>
    public long CycleWork { get; init; } = 1_000_000;

    /// <summary>
    /// The most work of a fit, a second cycle included (series × time steps, as <see cref="CycleWork"/>): Beef's 500
    /// steps take 167 epochs, 1.9 million; ACSF1's (100 series of 1,460 steps) 42 epochs of 12 batches, 5.9 million.
    /// Defaults to 10 million.
    /// </summary>
    public long MaximumWork { get; init; } = 10_000_000;

    /// <summary>
    /// The second cycle peaks at <see cref="MaxLearningRate"/> divided by this: it goes on fitting where the first
    /// left off rather than starting over. Defaults to 3. Measured on the archive's ACSF1: 0.85 and 0.82 at the first's
    /// peak (seeds 1 and 3; the training loss ended at 1.11-1.13, above where the first cycle left it), 0.893 at a third
    /// (0.88, 0.92, 0.88; loss 0.80-0.87), 0.883 in one cycle of the same 500 steps; on Beef (6 seeds) 0.783 at the
    /// first's peak, 0.711 at a third, 0.700 with the first cycle alone, 0.778 in one cycle of 500 steps; on Herring,
    /// not chosen on, 0.568 at the first's peak, 0.599 at a third.
    /// </summary>
    public double SecondCycleDivisor { get; init; } = 3;

    /// <summary>Epoch table rows at most: longer fits validate every few epochs (and always after the last). Defaults to 10.</summary>
    public int MaximumValidations { get; init; } = 10;

    /// <summary>
    /// The training batch size when none is given (<c>--batch-size auto</c>): a quarter of the training series, 8 to 64
    /// (<see cref="Data.DataLoaders.AutoBatchSize"/>), made smaller, down to 8, where <see cref="CycleWork"/> would
    /// otherwise hold the fit below <see cref="MinimumSteps"/>: the same work in more, smaller steps. Long series in sets of 100 or more
    /// would else get 25 epochs of 4 batches, 100 steps: OSULeaf (200 series of 427 steps) reached 0.902 so, 0.928 in
    /// batches of 10 (500 steps), against 0.925 published, in about twice the time on two threads.
    /// </summary>
    /// <param name="trainCount">Training series.</param>
    /// <param name="length">Their length.</param>
    /// <param name="dropLast">Whether the training loader leaves out the last incomplete batch (<see cref="Data.DataLoadersOptions.DropLast"/>).</param>
    public int BatchSize(int trainCount, int length, bool dropLast)
    {
        var quarter = Data.DataLoaders.AutoBatchSize(trainCount);
        for (var size = quarter; size > Data.DataLoaders.SmallestAutoBatchSize; size--)
        {
            var batches = Data.DataLoader.BatchesPerEpoch(trainCount, size, dropLast);
            if ((long)Epochs(batches, SeriesPerEpoch(trainCount, size, batches), length, FirstCycleWork) * batches >= MinimumSteps)
                return size;
        }
        return Data.DataLoaders.SmallestAutoBatchSize;
    }

    /// <summary>The epochs of the first cycle for the training batches of <paramref name="train"/>.</summary>
    public int Epochs(Data.DataLoader train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Cycles(train).First;
    }

    /// <summary>
    /// The epochs of a second cycle for <paramref name="train"/>: enough for <see cref="MinimumSteps"/> steps in all,
    /// within <see cref="MaximumWork"/>; 0 when that would add fewer than a tenth of them, which the first cycle then
    /// takes itself (ArrowHead, 36 series of 251 steps: 125 epochs of 4 batches). It runs only when the first cycle ends with
    /// the training loss more than 0.1 above the lowest it can reach (<see cref="Learner.FitOneCycle(TrainingBudget, IEnumerable{Callback}?, CancellationToken)"/>):
    /// on the archive's ACSF1 (100 series of 1,460 steps) 25 epochs ended at 0.92-1.03 against label smoothing's floor
    /// of 0.50, and the second cycle of 17 took the accuracy from 0.850 to 0.893 (3 seeds); DiatomSizeReduction,
    /// ShapeletSim and PickupGestureWiimoteZ ended within 0.05 of their floors, where 500 steps in one cycle had gained
    /// nothing but twice the time or more.
    /// </summary>
    public int SecondCycleEpochs(Data.DataLoader train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Cycles(train).Second;
    }

    /// <summary>
    /// True when the fit of <paramref name="train"/> reaches neither <see cref="MinimumSteps"/> steps nor more than
    /// <see cref="MinimumEpochs"/> epochs, even with a second cycle: long series in a small set, whose epochs
    /// <see cref="MaximumWork"/> holds to the floor, in too few batches an epoch for the steps (100 series of more than
    /// about 4,000 steps). Such fits may gain from more epochs at the cost of time: the archive's ACSF1 (100 series of
    /// 1,460 steps) reached 0.850 in 25 epochs, its 300 steps, against 0.893 in 68.
    /// </summary>
    public bool FallsShort(Data.DataLoader train)
    {
        var (first, second) = Cycles(train);
        return first + second == MinimumEpochs && (long)MinimumEpochs * train.BatchCount < MinimumSteps;
    }

    private (int First, int Second) Cycles(Data.DataLoader train) =>
        Cycles(train.BatchCount, SeriesPerEpoch(train.Count, train.BatchSize, train.BatchCount), train.Dataset.Length);

    // The first cycle within FirstCycleWork, the second up to MaximumWork in all; a few steps more are no cycle, and
    // the first takes them.
    private (int First, int Second) Cycles(int batchesPerEpoch, int seriesPerEpoch, int length)
    {
        var first = Epochs(batchesPerEpoch, seriesPerEpoch, length, FirstCycleWork);
        var all = Math.Max(first, Epochs(batchesPerEpoch, seriesPerEpoch, length, MaximumWork));
        return (long)(all - first) * batchesPerEpoch * 10 < MinimumSteps ? (all, 0) : (first, all - first);
    }

    // A bound on the whole fit bounds its first cycle too.
    private long FirstCycleWork => Math.Min(CycleWork, MaximumWork);

    // The series an epoch's batches use: all of them, or fewer when the last incomplete batch is dropped.
    private static int SeriesPerEpoch(int count, int batchSize, int batches) => Math.Min(count, batches * batchSize);

    /// <summary>
    /// The epochs of the first cycle for a training set of <paramref name="seriesPerEpoch"/> series (those its batches
    /// use) of <paramref name="length"/> steps, in <paramref name="batchesPerEpoch"/> batches: at least one.
    /// </summary>
    public int Epochs(int batchesPerEpoch, int seriesPerEpoch, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(seriesPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return Cycles(batchesPerEpoch, seriesPerEpoch, length).First;
    }

    private int Epochs(int batchesPerEpoch, int seriesPerEpoch, int length, long work)
    {
        var forSteps = (MinimumSteps + batchesPerEpoch - 1) / batchesPerEpoch;
        var affordable = work / ((long)seriesPerEpoch * length);
        return (int)Math.Clamp(Math.Max(MinimumEpochs, Math.Min(forSteps, affordable)), 1, int.MaxValue);
    }

    /// <summary>
    /// Validate every this many epochs (and after the last), so a fit of <paramref name="epochs"/> has at most
    /// <see cref="MaximumValidations"/> rows and validating costs at most about a quarter of training: a forward pass
    /// is a third of a training step's work, so <paramref name="validCount"/> series against
    /// <paramref name="seriesPerEpoch"/> trained ones ask for an interval of 4 × valid / (3 × trained) epochs at least.
    /// </summary>
    public int ValidationInterval(int epochs, int seriesPerEpoch, int validCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(seriesPerEpoch, 1);
        var rows = (epochs + MaximumValidations - 1) / MaximumValidations;
        var cost = (int)Math.Min(epochs, Math.Ceiling(4.0 * validCount / (3.0 * seriesPerEpoch)));
        return Math.Max(1, Math.Max(rows, cost));
    }

    /// <summary><see cref="ValidationInterval(int, int, int)"/> for the loaders of <paramref name="data"/>.</summary>
    public int ValidationInterval(int epochs, Data.DataLoaders data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ValidationInterval(epochs, Math.Max(1, SeriesPerEpoch(data.Train.Count, data.Train.BatchSize, data.Train.BatchCount)), data.Valid.Count);
    }
}
