using System.Globalization;
using System.Text;
using Chronoscope.Cli.Commands;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.Cli;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Training;

/// <summary>Training that cannot mean anything is refused or stopped, never reported as a success.</summary>
public sealed class DegenerateTrainingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A .tsv of <paramref name="count"/> series of length 20 whose values are about <paramref name="scale"/>, labels cycling through <paramref name="labels"/>.</summary>
    private string Tsv(string name, int count, double scale, params string[] labels)
    {
        var random = new Random(3);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(labels[i % labels.Length]);
            for (var t = 0; t < 20; t++)
                text.Append('\t').Append(((1 + 0.1 * random.NextDouble()) * scale).ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return _folder.Write(name, text.ToString());
    }

    [Fact]
    public void Should_Stop_At_The_First_Non_Finite_Loss_Before_It_Reaches_The_Weights()
    {
        using var leaks = new TensorLeakCheck();
        // Given finite values so large (3e38) that the network overflows on them
        using var data = DataLoaders.FromTrainTest(Tsv("x_TRAIN.tsv", 16, 3e38, "a", "b"), Tsv("x_TEST.tsv", 8, 3e38, "a", "b"));
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });

        // When it trains with the callback that is on by default
        var fit = learner.Fit(3, 1e-3);

        // Then the fit stops in the first batch, says why, and no weight is NaN
        Assert.Empty(fit.Epochs);
        Assert.StartsWith("the training loss became NaN at epoch 1, batch 1", fit.StopReason, StringComparison.Ordinal);
        using (TorchSharp.torch.NewDisposeScope())
            Assert.All(learner.Model.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
    }

    [Fact]
    public void Should_Refuse_A_Training_Set_Of_One_Class()
    {
        var train = Tsv("one_TRAIN.tsv", 10, 1, "a");

        using var data = DataLoaders.FromTrainTest(train, Tsv("one_TEST.tsv", 4, 1, "a", "b"));

        var error = Assert.Throws<DatasetFormatException>(() => Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny }));

        Assert.Equal($"{train}: expected training series of at least 2 classes, found only class \"a\": a classifier needs classes to tell apart.", error.Message);
    }

    [Fact]
    public void Should_Name_The_Classes_No_Training_Series_Has()
    {
        using var data = DataLoaders.FromTrainTest(Tsv("c_TRAIN.tsv", 10, 1, "a", "b"), Tsv("c_TEST.tsv", 6, 1, "a", "b", "c"));

        Assert.Equal(["c"], data.ClassesWithoutTrainingSeries);
    }

    [Fact]
    public async Task Should_Stop_Train_With_One_Line_Keep_The_Finished_Epochs_And_Write_No_Model_When_The_Loss_Diverges()
    {
        var train = Tsv("big_TRAIN.tsv", 16, 3e38, "a", "b");
        var test = Tsv("big_TEST.tsv", 8, 3e38, "a", "b");
        var run = _folder.Combine("run");

        // Values of 3e38 as read (auto would scale them per channel, which trains)
        var (code, _, error) = await CliRunner.RunAsync(["train", "--train", train, "--test", test, "--normalize", "none", "--depth", "1", "--filters", "4", "--out", run, "--epochs", "2"], _folder.Combine("cache"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: stopped after 0 epochs of 2: the training loss became NaN at epoch 1, batch 1", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run, "model.chronoscope")));
    }

    [Fact]
    public async Task Should_Refuse_A_Split_That_Leaves_No_Validation_Series_Before_Training()
    {
        var (code, _, error) = await CliRunner.RunAsync(["train", "GunPoint", "--split", "pooled", "--valid-pct", "0.001", "--out", _folder.Combine("run")], _folder.Combine("cache"));

        Assert.Equal(2, code);
        Assert.Equal("error: --valid-pct 0.001 of 200 series leaves no validation series: raise --valid-pct or give more data.", Assert.Single(CliRunner.Lines(error)));
        Assert.False(Directory.Exists(_folder.Combine("run")));
    }

    [Fact]
    public async Task Should_Warn_When_A_Class_Has_No_Training_Series()
    {
        var train = Tsv("w_TRAIN.tsv", 10, 1, "a", "b");
        var test = Tsv("w_TEST.tsv", 6, 1, "a", "b", "c");

        var (code, _, error) = await CliRunner.RunAsync(["train", "--train", train, "--test", test, "--depth", "1", "--filters", "4", "--epochs", "1", "--no-report", "--out", _folder.Combine("run")], _folder.Combine("cache"));

        Assert.True(code == 0, error);
        Assert.Contains("warning: no training series of class \"c\": the model can never predict it.", CliRunner.Lines(error));
    }

    [Fact]
    public async Task Should_Warn_When_The_Labels_Look_Like_A_Numeric_Target_And_List_At_Most_Ten_Unseen_Classes()
    {
        // Given a regression set in the UCR layout: its first column a measurement, 14 distinct values in training
        // (two of them twice), and 12 in the test file that training never saw
        string[] trainValues = ["20.5", "21.25", "22.125", "23.5", "24.75", "25.5", "26.25", "27.5", "28.75", "29.5", "30.25", "31.5", "20.5", "21.25", "32.75", "33.5"];
        string[] testValues = [.. Enumerable.Range(0, 12).Select(i => (40.5 + i).ToString(CultureInfo.InvariantCulture))];
        var train = Tsv("r_TRAIN.tsv", trainValues.Length, 1, trainValues);
        var test = Tsv("r_TEST.tsv", testValues.Length, 1, testValues);

        // When it is trained
        var (code, _, error) = await CliRunner.RunAsync(["train", "--train", train, "--test", test, "--depth", "1", "--filters", "4", "--epochs", "1", "--no-report", "--out", _folder.Combine("run")], _folder.Combine("cache"));

        // Then it trains, and says what it did with the labels, naming the first ten unseen classes and how many more
        Assert.True(code == 0, error);
        var lines = CliRunner.Lines(error);
        Assert.Contains("warning: the 14 class labels are numbers, some with fractions (\"20.5\", \"21.25\", \"22.125\" and 11 more), and 12 of them have a single training series: " +
            "is the first column a numeric target? Chronoscope classifies; it treats each distinct value as a class of its own and does not regress.", lines);
        Assert.Contains("warning: no training series of class \"40.5\", \"41.5\", \"42.5\", \"43.5\", \"44.5\", \"45.5\", \"46.5\", \"47.5\", \"48.5\", \"49.5\" and 2 more: the model can never predict it.", lines);
    }

    [Theory]
    [InlineData("1", "2", "3", "4")] // integers: a set with one training series per class (the archive's Fungi)
    [InlineData("a.5", "b.5", "c.5", "d.5")] // not numbers
    public void Should_Not_Call_Labels_A_Numeric_Target_Unless_They_Are_Numbers_With_Fractions(params string[] labels)
    {
        using var data = DataLoaders.FromTrainTest(Tsv("n_TRAIN.tsv", 4, 1, labels), Tsv("n_TEST.tsv", 4, 1, labels));

        Assert.Null(TrainingArguments.NumericTargetWarning(data.Train.Dataset));
    }

    [Fact]
    public void Should_Not_Call_Numeric_Labels_A_Target_When_Most_Classes_Have_Several_Training_Series()
    {
        // Given numeric labels with fractions, four training series each, and the same labels one series each
        using var several = DataLoaders.FromTrainTest(Tsv("m_TRAIN.tsv", 12, 1, "0.5", "1.5", "2.5"), Tsv("m_TEST.tsv", 6, 1, "0.5", "1.5", "2.5"));
        using var single = DataLoaders.FromTrainTest(Tsv("s_TRAIN.tsv", 3, 1, "0.5", "1.5", "2.5"), Tsv("s_TEST.tsv", 3, 1, "0.5", "1.5", "2.5"));

        // Then only the second is called a numeric target
        Assert.Null(TrainingArguments.NumericTargetWarning(several.Train.Dataset));
        Assert.NotNull(TrainingArguments.NumericTargetWarning(single.Train.Dataset));
    }

    [Fact]
    public async Task Should_Warn_And_Mark_The_Rows_When_The_Network_Output_Is_Not_Finite_And_When_The_Length_Differs()
    {
        // Given a GunPoint model (length 150) and a file of length 20 whose values overflow the network
        var model = _folder.Combine("model.chronoscope");
        using (var classifier = SmallModels.GunPoint())
            classifier.Save(model);
        var data = Tsv("huge_TEST.tsv", 4, 3e38, "1", "2");
        var csv = _folder.Combine("out.csv");

        var (code, _, error) = await CliRunner.RunAsync(["predict", "--model", model, data, "--out", csv], _folder.Combine("cache"));

        Assert.True(code == 0, error);
        var lines = CliRunner.Lines(error);
        Assert.Contains($"warning: {data}: the model was trained on series of length 150, found length 20; its predictions may mean little.", lines);
        Assert.Contains(lines, l => l.StartsWith($"warning: {data}: the network's output is not finite for 4 series (items 0, 1, 2, 3;", StringComparison.Ordinal));
        // every row is marked instead of given a made-up class
        Assert.All(File.ReadAllLines(csv).Skip(1), row => Assert.Equal("?", row.Split(',')[3]));
    }

    [Fact]
    public async Task Should_Remove_The_Previous_Runs_Report_When_Retraining_Into_The_Same_Folder_Without_One()
    {
        var run = _folder.Combine("run");
        string[] args = ["train", "GunPoint", "--epochs", "1", "--depth", "1", "--filters", "4", "--out", run];
        var (first, _, firstError) = await CliRunner.RunAsync(args, _folder.Combine("cache"));
        Assert.True(first == 0 && File.Exists(Path.Combine(run, "report.html")), firstError);

        var (second, _, secondError) = await CliRunner.RunAsync([.. args, "--no-report"], _folder.Combine("cache"));

        Assert.True(second == 0, secondError);
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
        Assert.True(File.Exists(Path.Combine(run, "model.chronoscope")));
    }
}
