using System.Globalization;
using Chronoscope.Inference;

namespace Chronoscope.Training;

public sealed partial class Learner
{
    // What the learner has to tell about memory, until a fit (as notes) or the caller (TakeMemoryNotes) tells it.
    private readonly string? _batchNote;
    private bool _memoryTold;

    /// <summary>
    /// The memory a training step of <paramref name="network"/> on <paramref name="data"/> takes: a batch of
    /// <see cref="Data.DataLoader.BatchSize"/> training series (at most all of them) forward and backward (<see cref="MemoryPass.Training"/>).
    /// Validation's passes take less per series and fit their own (in passes of fewer series, as predictions).
    /// </summary>
    internal static MemoryNeed TrainingMemory(Data.DataLoaders data, Models.InceptionTimeOptions network)
    {
        var length = (long)data.Train.Dataset.Length;
        return new MemoryNeed("training on", MemoryNeed.SourceOf(data.Train.Dataset), length, Math.Min(data.Train.BatchSize, Math.Max(1, data.Train.Count)), // no batch holds more series than there are
            batch => MemoryBudget.Estimate(MemoryPass.Training, batch, length, network));
    }

    /// <summary>
    /// Makes the automatic batch of <paramref name="data"/> (<see cref="Data.DataLoadersOptions.BatchSize"/> null)
    /// smaller, down to one series, where the one chosen for the optimizer steps would exceed the memory available now
    /// for <paramref name="network"/>: a smaller batch trains, a larger one gets the process killed. Returns what was
    /// done, or null when nothing was. A batch given explicitly is the caller's: a fit refuses it only when it cannot
    /// fit at all. Every learner does this when made; the command line does it before it counts the budget's steps.
    /// </summary>
    internal static string? FitAutomaticBatchToMemory(Data.DataLoaders data, Models.InceptionTimeOptions network)
    {
        if (data.Options.BatchSize is not null || data.Train.Count == 0)
            return null;
        var need = TrainingMemory(data, network);
        var memory = MachineMemory.Read();
        var reachable = MemoryBudget.Reachable(memory);
        if (need.Bytes <= reachable)
            return null;
        var fitting = Math.Max(1, need.LargestBatchWithin(reachable));
        if (fitting == need.Batch)
            return null;
        data.Train.ShrinkBatchSize(fitting);
        return string.Create(CultureInfo.InvariantCulture,
            $"batch size {fitting} instead of {need.Batch} (auto): {need.Batch} series of {need.Length:N0} steps would need about {MemoryBudget.Size(need.Bytes)} to train, " +
            $"more than the {MemoryBudget.Size(reachable)} of memory available to it now ({MemoryBudget.Size(need.WithBatch(fitting).Bytes)} for {fitting}).");
    }

    /// <summary>
    /// Refuses training that cannot fit in all the machine's memory (a <see cref="MemoryLimitException"/> that says which
    /// batch would fit), and returns, once, what the user should know: the automatic batch made smaller for memory, and
    /// a warning when a step needs more than is available now. A fit tells them as notes; a caller that shows them
    /// earlier (the command line, before its header) takes them here, and the fit then says nothing more.
    /// </summary>
    internal (string? BatchNote, string? Warning) TakeMemoryNotes()
    {
        var warning = MemoryBudget.Require(TrainingMemory(Data, Model.Options));
        if (_memoryTold)
            return (null, null);
        _memoryTold = true;
        return (_batchNote, warning);
    }
}
