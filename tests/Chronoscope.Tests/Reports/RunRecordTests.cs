using System.Text.Json.Nodes;
using Chronoscope.Data;
using Chronoscope.Models;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Reports;

public sealed class RunRecordTests
{
    private static readonly InceptionTimeOptions Small = new() { Depth = 3, Filters = 16, KernelSizes = [9, 5, 3], BottleneckSize = 16 };

    private static DataLoaders PooledData() =>
        DataLoaders.RandomSplit(SyntheticData.Create(120, 1, 32, 2, seed: 5), new DataLoadersOptions { BatchSize = 32, ValidPercent = 0.25, SplitSeed = 7, Normalization = Normalization.PerSample });

    [Fact]
    public void Should_Record_The_Learner_Its_Fit_And_Every_Batch_Of_The_Recorder()
    {
        // Given a small network trained 2 epochs with AdamW and plain cross-entropy on a pooled 75/25 split
        using var leaks = new TensorLeakCheck();
        using var data = PooledData();
        using var learner = Learner.Create(data, new LearnerOptions { Model = Small, Optimizer = OptimizerKind.AdamW, Loss = LossKind.CrossEntropy, Seed = 11 });
        var fit = learner.FitOneCycle(2, 2e-3);

        // When the record is made with what only the caller knows
        var record = RunRecord.Create(learner, fit, new RunDescription { CommandLine = "from a test", TrainFile = "/data/x.arff", Threads = 3, LoadTime = TimeSpan.FromSeconds(1.5) });

        // Then the settings are the learner's, by their command-line names
        var s = record.Settings;
        Assert.Equal((2, 32, 11, "pooled", 0.25, 7), (s.Epochs, s.BatchSize, s.Seed, s.Split, s.ValidPercent!.Value, s.SplitSeed!.Value));
        Assert.Equal(("per-sample", "adamw", "cross-entropy", "auto", "fastai"), (s.Normalization, s.Optimizer, s.Loss, s.BatchNormCalibration, s.Variant));
        Assert.Equal((3, 16, 16, 3), (s.Depth, s.Filters, s.Bottleneck, s.Threads));
        // the block cache, which the suite installs where it can be (Linux x64)
        var cached = OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;
        Assert.Equal(cached, s.CachedTensorBlocks);
        Assert.Contains($"\"cached_tensor_blocks\": {(cached ? "true" : "false")}", record.ToJson());
        Assert.Equal([9, 5, 3], s.KernelSizes);
        Assert.Equal(2e-3, s.MaxLearningRate, 1e-12); // the peak of the schedule, as the learner saw it
        // the data and the model
        Assert.Equal((90, 30, 1, 32), (record.Dataset.TrainCount, record.Dataset.ValidCount, record.Dataset.Channels, record.Dataset.Length));
        Assert.Equal(("/data/x.arff", (string?)null, "files"), (record.Dataset.TrainFile, record.Dataset.TestFile, record.Dataset.Origin));
        Assert.Equal(learner.Model.ParameterCount, record.Model.Parameters);
        // the epoch table, the final row and confusion matrix are the fit's
        Assert.Equal(fit.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidLoss, e["accuracy"])), record.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidLoss, e.Metrics["accuracy"])));
        Assert.Equal((2, fit.Last!.ValidLoss, fit.Last["accuracy"]), (record.Final.EpochsTrained, record.Final.ValidLoss, record.Final.Metrics["accuracy"]));
        Assert.Equal(fit.Last.Confusion.ToRows(), record.ConfusionMatrix.Counts);
        Assert.Equal(30, record.ConfusionMatrix.Counts.Sum(row => row.Sum()));
        // and every batch the recorder kept: 2 batches of 32 per epoch (the last 26 series dropped, as fastai)
        var history = record.History!;
        Assert.Equal(learner.Recorder.Losses, history.Losses);
        Assert.Equal(learner.Recorder.SmoothedLosses, history.SmoothedLosses);
        Assert.Equal(learner.Recorder.LearningRates, history.LearningRates);
        Assert.Equal(learner.Recorder.Momentums, history.Momentums);
        Assert.Equal([2, 4], history.EpochEndIterations);
        Assert.Equal(1.5 + fit.Duration.TotalSeconds, record.Timings.TotalSeconds, 1e-9);
        Assert.Equal("from a test", record.CommandLine);
    }

    [Fact]
    public void Should_Read_Back_What_It_Wrote_Including_A_NaN_Metric()
    {
        // Given a record with a metric without data (NaN)
        using var temp = new TempFolder();
        var record = Sample() with { Final = Sample().Final with { Metrics = new Dictionary<string, double> { ["accuracy"] = 0.5, ["f1_macro"] = double.NaN } } };
        var path = temp.Combine("metrics.json");

        // When it is saved and loaded
        record.Save(path);
        var loaded = RunRecord.Load(path);

        // Then the file is the same JSON again, with NaN as the string "NaN" and snake_case names
        Assert.Equal(File.ReadAllText(path), loaded.ToJson());
        Assert.True(double.IsNaN(loaded.Final.Metrics["f1_macro"]));
        Assert.Contains("\"f1_macro\": \"NaN\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("\"bn_calibration\": \"auto\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("\"epoch_end_iterations\": [", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(["metrics.json"], temp.Entries()); // written through a temporary file, none left behind
    }

    [Fact]
    public void Should_Write_The_Confusion_Matrix_A_Row_To_A_Line()
    {
        // Given a record of three classes
        using var temp = new TempFolder();
        var record = Sample(["a", "b", "c"]) with { ConfusionMatrix = new RunRecord.ConfusionPart(["a", "b", "c"], [[5, 0, 1], [0, 7, 0], [2, 0, 12345]]) };
        var path = temp.Combine("metrics.json");

        // When it is saved
        record.Save(path);

        // Then each row of counts is one line, indented under "counts", and the file reads back to the same counts
        // (the writer alone would put every count on a line of its own: 9 million lines for 3,000 classes)
        var text = File.ReadAllText(path);
        Assert.Contains("    \"counts\": [\n      [5, 0, 1],\n      [0, 7, 0],\n      [2, 0, 12345]\n    ]\n", text, StringComparison.Ordinal);
        Assert.Equal([[5L, 0, 1], [0L, 7, 0], [2L, 0, 12345]], RunRecord.Load(path).ConfusionMatrix.Counts);
        Assert.Equal([[5L, 0, 1], [0L, 7, 0], [2L, 0, 12345]], JsonNode.Parse(text)!["confusion_matrix"]!["counts"]!.AsArray().Select(row => row!.AsArray().Select(n => (long)n!).ToArray()));
    }

    [Fact]
    public void Should_Read_A_Record_Written_Before_The_History_Was_Kept()
    {
        // Given metrics.json as chronoscope train wrote it before: no "history"
        using var temp = new TempFolder();
        var json = JsonNode.Parse(Sample().ToJson())!.AsObject();
        json.Remove("history");
        var path = temp.Write("metrics.json", json.ToJsonString());

        // Then it loads, without a history
        var loaded = RunRecord.Load(path);
        Assert.Null(loaded.History);
        Assert.Equal(Sample().Epochs.Count, loaded.Epochs.Count);
    }

    [Fact]
    public void Should_Name_The_File_And_Line_Of_A_Broken_Record()
    {
        using var temp = new TempFolder();
        var broken = temp.Write("metrics.json", "{\n  \"chronoscope_version\": \"1\",\n  \"notes\": [\"a\",\n}");
        var missingPart = temp.Write("partial.json", "{\n  \"chronoscope_version\": \"1\"\n}");

        var syntax = Assert.Throws<RunRecordException>(() => RunRecord.Load(broken));
        var incomplete = Assert.Throws<RunRecordException>(() => RunRecord.Load(missingPart));
        var missing = Assert.Throws<RunRecordException>(() => RunRecord.Load(temp.Combine("none.json")));

        Assert.StartsWith($"{missingPart}(3): not a run record: ", incomplete.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{missingPart}(3): not a run record: ", incomplete.Message, StringComparison.Ordinal);
        Assert.Contains("missing required properties", incomplete.Message, StringComparison.Ordinal);
        Assert.Equal($"{temp.Combine("none.json")}: no such file; a training run writes it into its run folder.", missing.Message);
        Assert.DoesNotContain('\n', syntax.Message);
    }

    [Fact]
    public void Should_Refuse_A_Fit_That_Finished_No_Epoch()
    {
        using var data = PooledData();
        using var learner = Learner.Create(data, new LearnerOptions { Model = Small });
        var cancelled = new FitResult([], null, Cancelled: true, [], TimeSpan.Zero, EpochsTrained: 0);
        var error = Assert.Throws<ArgumentException>(() => RunRecord.Create(learner, cancelled));
        Assert.Contains("finished no epoch", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A record made by hand: two epochs of a two-class run with a history of 2 batches.</summary>
    internal static RunRecord Sample(IReadOnlyList<string>? classes = null) => new()
    {
        ChronoscopeVersion = "1.0.0-test",
        CommandLine = "chronoscope train GunPoint --epochs 2",
        CreatedUtc = new DateTime(2025, 1, 31, 13, 25, 1, DateTimeKind.Utc),
        Dataset = new RunRecord.DatasetPart("GunPoint", "files", "/data/GunPoint_TRAIN.arff", "/data/GunPoint_TEST.arff",
            "official: train on TRAIN, validate on TEST", 50, 150, 1, 150, classes ?? ["1", "2"]),
        Settings = new RunRecord.SettingsPart
        {
            Epochs = 2, MaxLearningRate = 1e-3, Schedule = "one-cycle", BatchSize = 64, Seed = 42, Split = "official",
            Normalization = "none", Optimizer = "ranger", Loss = "label-smoothing", BatchNormCalibration = "auto", Variant = "fastai",
            Depth = 6, Filters = 32, KernelSizes = [39, 19, 9], Bottleneck = 32, Metrics = ["accuracy"], Threads = 2,
        },
        Model = new RunRecord.ModelPart("model.chronoscope", 421_666),
        Epochs =
        [
            new RunRecord.EpochPart(0, 0.69, 0.68, new Dictionary<string, double> { ["accuracy"] = 0.5 }, 1.2),
            new RunRecord.EpochPart(1, 0.6, 0.55, new Dictionary<string, double> { ["accuracy"] = 0.75 }, 0.9),
        ],
        Final = new RunRecord.FinalPart(2, null, 0.6, 0.55, new Dictionary<string, double> { ["accuracy"] = 0.75 }),
        ConfusionMatrix = new RunRecord.ConfusionPart(classes ?? ["1", "2"], [[50, 26], [11, 63]]),
        Notes = ["a note"],
        Timings = new RunRecord.TimingsPart(0.1, 2.1, 0.2, 2.4),
        History = new RunRecord.HistoryPart([0.7, 0.6], [0.7, 0.65], [4e-5, 1e-3], [0.95, 0.85], [1, 2]),
    };
}
