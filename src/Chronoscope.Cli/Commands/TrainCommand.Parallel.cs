using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Chronoscope.Cli.Output;
using Chronoscope.Inference;
using Chronoscope.Reports;
using Chronoscope.Training;

namespace Chronoscope.Cli.Commands;

internal static partial class TrainCommand
{
    /// <summary>The hidden option with which <c>train --parallel</c> starts each network's process.</summary>
    internal const string MemberOption = "--ensemble-member";

    /// <summary>How long a stopped network's process is given to end after it was killed.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What the parallel path needs of the command line and of what the command has done so far; <c>Replaced</c> are the
    /// options the parent sets itself in each child's command line (the rest is passed on as typed).
    /// </summary>
    private sealed record ParallelRun(
        TrainingData Data, RunFolder Folder, int Members, string EpochsText, LearnerOptions LearnerOptions, IReadOnlyList<Metric> Metrics,
        int Threads, TimeSpan LoadTime, Stopwatch Total, bool NoReport, IReadOnlyList<Option> Replaced);

    /// <summary>One network's process: its index (from 0), seed, output folder, and what it wrote on standard error.</summary>
    private sealed class MemberProcess(int index, int seed, string folder)
    {
        public int Index { get; } = index;

        public int Seed { get; } = seed;

        public string Folder { get; } = folder;

        public StringBuilder Errors { get; } = new();

        public Process? Process { get; set; }

        public int? ExitCode { get; set; }

        public string Name(int members) => $"network {Index + 1} of {members} (seed {Seed})";
    }

    /// <summary>
    /// <c>train --ensemble N --parallel</c>: each network trained by a process of its own (this program with the same
    /// command line, <c>--ensemble-member i</c>, its share of the threads and a temporary output folder), as many at once
    /// as there are threads. Their epoch rows are shown as they come, each line led by its network. Then the networks'
    /// model files are combined into one ensemble model and the run folder gets what the sequential path writes: the
    /// model, metrics.json (of the last network, with the ensemble's part), epochs.csv with a member column, the pictures
    /// (loss and schedule of the last network), the report. A process that fails fails the command with its message; a
    /// cancellation (Ctrl+C, SIGTERM) or a failure kills the processes still running.
    /// </summary>
    private static async Task<int> TrainInParallelAsync(CliContext context, ParseResult parse, ParallelRun run, CancellationToken cancellationToken)
    {
        // As many at once as there are threads, fewer where their steps together would not fit the memory available now.
        var byThreads = Math.Min(run.Members, run.Threads);
        var need = Learner.TrainingMemory(run.Data.Loaders, run.LearnerOptions.Model);
        var memory = MachineMemory.Read();
        var atOnce = MemoryBudget.ProcessesAtOnce(need, byThreads, memory);
        var threadsEach = Math.Max(1, run.Threads / atOnce);
        if (atOnce < byThreads)
            context.WriteNote($"{atOnce} at once instead of {byThreads}: each network's process needs about {MemoryBudget.Size(need.Bytes)} to train, and {MemoryBudget.Size(memory.Available)} of memory is available now.");
        var temporary = Path.Combine(Path.GetTempPath(), "chronoscope-parallel-" + Guid.NewGuid().ToString("N"));
        var seed = run.LearnerOptions.Seed; // the ensemble's: each child shuffles by it and starts its network from seed + its index
        var processes = Enumerable.Range(0, run.Members)
            .Select(i => new MemberProcess(i, run.LearnerOptions.Seed + i, Path.Combine(temporary, $"member-{i + 1}")))
            .ToList();
        var passedOn = PassedOn(parse, run.Replaced);
        CliContext.WriteLine(context.Output,
            $"training {run.Members} networks in parallel processes: {atOnce} at once, {Words.Plural(threadsEach, "thread", "threads")} each");
        var fitWatch = Stopwatch.StartNew();
        var trained = new List<TimeSeriesClassifier>();
        try
        {
            ChildProcesses.AddFolder(temporary);
            Directory.CreateDirectory(temporary);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var slots = new SemaphoreSlim(atOnce);
            var consoleLock = new object();
            MemberProcess? failed = null;
            var tasks = processes.Select(async member =>
            {
                string[] arguments =
                [
                    "train", .. passedOn, "--seed", seed.ToString(CultureInfo.InvariantCulture),
                    MemberOption, member.Index.ToString(CultureInfo.InvariantCulture), "--ensemble", "1",
                    "--threads", threadsEach.ToString(CultureInfo.InvariantCulture), "--no-report", "--out", member.Folder,
                ];
                try
                {
                    await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                try
                {
                    if (stop.IsCancellationRequested)
                        return;
                    await RunMemberAsync(context, member, run.Members, arguments, consoleLock, stop.Token).ConfigureAwait(false);
                    if (member.ExitCode is not ExitCodes.Success && !stop.IsCancellationRequested)
                    {
                        lock (consoleLock)
                            failed ??= member;
                        await stop.CancelAsync().ConfigureAwait(false); // the others are killed
                    }
                }
                finally
                {
                    slots.Release();
                }
            }).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);

            if (cancellationToken.IsCancellationRequested || failed?.ExitCode is ExitCodes.Cancelled or ExitCodes.Terminated)
            {
                // (a terminal's Ctrl+C reaches the children too: one may have stopped before the parent's token was cancelled)
                context.WriteError("cancelled: the networks' processes were stopped; no model or pictures written.");
                run.Folder.RemoveIfEmpty();
                return ExitCodes.Cancelled;
            }
            if (failed is { } broken)
            {
                context.WriteError($"error: {broken.Name(run.Members)} failed (exit code {broken.ExitCode}){Reason(broken.Errors.ToString())}; no model written.");
                run.Folder.RemoveIfEmpty();
                return broken.ExitCode == ExitCodes.Usage ? ExitCodes.Usage : ExitCodes.Failure;
            }
            var fitTime = fitWatch.Elapsed;

            // Every network finished: one ensemble from their model files, one record from the last network's.
            var saveWatch = Stopwatch.StartNew();
            foreach (var member in processes)
                trained.Add(TimeSeriesClassifier.Load(Path.Combine(member.Folder, ModelFile)));
            var records = processes.Select(m => RunRecord.Load(Path.Combine(m.Folder, MetricsFile))).ToList();
            using var combined = TimeSeriesClassifier.Ensemble(trained);
            var last = records[^1];
            var record = last with
            {
                CommandLine = CommandLine(parse),
                Dataset = last.Dataset with { Name = run.Data.Name, Origin = run.Data.Origin, TrainFile = run.Data.TrainPath, TestFile = run.Data.TestPath },
                Settings = last.Settings with { Threads = run.Threads },
                Timings = new RunRecord.TimingsPart(run.LoadTime.TotalSeconds, fitTime.TotalSeconds, 0, 0),
            };
            var (ensembleRecord, finalMetrics, finalConfusion) = CombineMembers(context, record, combined, run.Data.Loaders.Valid, run.Metrics, run.LearnerOptions,
                [.. processes.Select(m => m.Seed)], [.. records.Select(r => new MemberResult(r.Final.Metrics, r.Final.ValidLoss))]);
            combined.Save(run.Folder.File(ModelFile));
            MergeEpochs(processes, run.Folder.File(EpochsFile));
            foreach (var picture in (string[])["loss.png", "loss.svg", "schedule.png", "schedule.svg"])
                AtomicFile.Write(run.Folder.File(picture), stream => { using var source = File.OpenRead(Path.Combine(processes[^1].Folder, picture)); source.CopyTo(stream); });
            SaveConfusion(finalConfusion, $"ensemble of {run.Members}", run.Folder);
            var trainedText = $"{run.Members} networks of {run.EpochsText} in parallel";
            return Finish(context, ensembleRecord, combined, run.Data, run.Folder, finalMetrics, saveWatch, run.Total, run.NoReport, $"{trainedText} in {Words.Seconds(fitTime)}", cancellationToken);
        }
        finally
        {
            foreach (var member in processes)
                Stop(member);
            trained.ForEach(c => c.Dispose());
            ChildProcesses.DeleteFolder(temporary, e => context.WriteError($"warning: could not remove the networks' temporary folder {temporary}: {IoErrors.Reason(e)}"));
            ChildProcesses.RemoveFolder(temporary);
        }
    }

    /// <summary>
    /// Starts one network's process and shows its training lines (notes, the epoch table, "stopped early") led by
    /// <c>network i:</c> as they come; its standard error is kept for a failure's message. Returns when it has ended,
    /// or at once when <paramref name="cancellationToken"/> is cancelled, after killing it (a bounded wait).
    /// </summary>
    private static async Task RunMemberAsync(CliContext context, MemberProcess member, int members, string[] arguments, object consoleLock, CancellationToken cancellationToken)
    {
        var self = context.SelfCommand;
        var start = new ProcessStartInfo(self[0], [.. self.Skip(1), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (context.DatasetOptions.CacheFolder is { } cache)
            start.Environment["CHRONOSCOPE_DATA"] = cache;
        lock (consoleLock)
            CliContext.WriteLine(context.Output, $"{member.Name(members)}: started");
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            member.Errors.Append(CultureInfo.InvariantCulture, $"cannot start {self[0]}: {e.Message}");
            member.ExitCode = ExitCodes.Failure;
            return;
        }
        member.Process = process;
        ChildProcesses.Add(process);
        var errors = PumpErrorsAsync(process, member.Errors);
        try
        {
            var training = false;
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // The child's own description of the data and the network repeats the parent's; its "final" and "wrote"
                // lines are about its temporary folder. Shown: from the learner's first note or the table's header on.
                training |= line.StartsWith("note:", StringComparison.Ordinal) || line.StartsWith("epoch", StringComparison.Ordinal);
                if (!training || line.StartsWith("final: ", StringComparison.Ordinal) || line.StartsWith("wrote ", StringComparison.Ordinal))
                    continue;
                lock (consoleLock)
                    CliContext.WriteLine(context.Output, $"network {member.Index + 1}: {line}");
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(errors, Task.Delay(KillWait, cancellationToken)).ConfigureAwait(false); // a grandchild may hold the pipe open
            member.ExitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // stopped: killed below
        }
        finally
        {
            Stop(member);
            ChildProcesses.Remove(process);
            member.Process = null;
        }
    }

    /// <summary>Standard error, line by line, into <paramref name="errors"/> (read to its end so the child never blocks on a full pipe).</summary>
    private static async Task PumpErrorsAsync(Process process, StringBuilder errors)
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (errors)
                errors.AppendLine(line);
        }
    }

    /// <summary>Kills a network's process (and anything it started) if it still runs, and waits at most <see cref="KillWait"/> for it to end.</summary>
    private static void Stop(MemberProcess member)
    {
        if (member.Process is not { } process)
            return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(KillWait);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // it ended on its own meanwhile, or was never started
        }
    }

    /// <summary>
    /// The command line's tokens that each child takes as typed: everything but the command's name and the options the
    /// parent sets per child (<paramref name="replaced"/>, with their values).
    /// </summary>
    private static List<string> PassedOn(ParseResult parse, IReadOnlyList<Option> replaced)
    {
        var dropped = new HashSet<System.CommandLine.Parsing.Token>(ReferenceEqualityComparer.Instance);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in replaced)
        {
            names.Add(option.Name);
            foreach (var alias in option.Aliases)
                names.Add(alias);
            if (parse.GetResult(option) is { } result)
            {
                foreach (var token in result.Tokens)
                    dropped.Add(token);
            }
        }
        return [.. parse.Tokens
            .Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command && !dropped.Contains(t)
                && !(t.Type == System.CommandLine.Parsing.TokenType.Option && names.Contains(t.Value)))
            .Select(t => t.Value)];
    }

    /// <summary>The networks' epochs.csv files as one, each row led by its network's number (from 1), as the sequential path writes it.</summary>
    private static void MergeEpochs(IReadOnlyList<MemberProcess> processes, string path)
    {
        var merged = new StringBuilder();
        foreach (var member in processes)
        {
            var lines = File.ReadAllLines(Path.Combine(member.Folder, EpochsFile));
            if (merged.Length == 0)
                merged.AppendLine("member," + lines[0]);
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
                merged.AppendLine((member.Index + 1).ToString(CultureInfo.InvariantCulture) + "," + line);
        }
        AtomicFile.WriteAllText(path, merged.ToString());
    }

    /// <summary>
    /// <c>: </c> and what a failed child said: its last error line (else its last line), without its own <c>error: </c>
    /// lead or final full stop; empty when it said nothing.
    /// </summary>
    private static string Reason(string errors)
    {
        var lines = errors.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.LastOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal)) is not { } line)
            line = lines.LastOrDefault();
        if (line is null)
            return "";
        return ": " + (line.StartsWith("error: ", StringComparison.Ordinal) ? line["error: ".Length..] : line).TrimEnd('.');
    }
}
