using Chronoscope.Cli.Commands;
using Chronoscope.Cli.Output;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Cli;

/// <summary>The small formats of the training commands: the epoch table, CSV fields, run folder names.</summary>
public sealed class TrainingOutputTests
{
    [Theory]
    [InlineData(0.4, "00:00")]
    [InlineData(59.99, "00:59")]
    [InlineData(75.9, "01:15")]
    [InlineData(3599, "59:59")]
    [InlineData(3725, "1:02:05")] // fastai's format_time adds hours only past an hour
    public void Should_Format_Epoch_Times_As_fastai(double seconds, string expected) =>
        Assert.Equal(expected, EpochTable.Time(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Should_Align_Values_Under_Titles_At_Least_8_Wide_With_Two_Spaces_Between()
    {
        // Given a table with a metric whose name is wider than its values
        var table = new EpochTable(["accuracy", "balanced_accuracy"]);
        var confusion = new ConfusionMatrix(["a", "b"]);
        var row = new EpochResult(12, 0.5, double.NaN, [new("accuracy", 0.75), new("balanced_accuracy", 2.0 / 3)], TimeSpan.FromSeconds(61), confusion);

        // Then each value starts where its title starts, losses and metrics have 6 decimals, a missing value is nan
        Assert.Equal("epoch     train_loss  valid_loss  accuracy  balanced_accuracy  time", table.Header);
        Assert.Equal("12        0.500000    nan         0.750000  0.666667           01:01", table.Row(row));
    }

    [Fact]
    public void Should_Number_The_Confusion_Matrix_Columns_When_Class_Names_Would_Not_Fit_A_Line()
    {
        // Given three classes named as ECG findings are (their names across made a 150-column line), and two short ones
        var confusion = new ConfusionMatrix(["Abnormal heartbeat (ventricular ectopic)", "Normal sinus rhythm", "Supraventricular premature beat"]);
        confusion.Add(0, 2);
        confusion.Add(1, 1);
        var (numbered, header, rows) = EvaluateCommand.ConfusionRows(confusion)!.Value;
        var (shortNumbered, shortHeader, _) = EvaluateCommand.ConfusionRows(new ConfusionMatrix(["Gun", "Point"]))!.Value;

        // Then the long ones are numbered across, each row's number before its name; the short ones keep their names
        Assert.True(numbered);
        Assert.Equal(["actual \\ predicted", "0", "1", "2"], header);
        Assert.Equal(["0 Abnormal heartbeat (ventricular ectopic)", "0", "0", "1"], rows[0]);
        Assert.Equal(["1 Normal sinus rhythm", "0", "1", "0"], rows[1]);
        Assert.False(shortNumbered);
        Assert.Equal(["actual \\ predicted", "Gun", "Point"], shortHeader);

        // and 21 classes or more are not printed at all (--json writes them), 20 still are, numbered
        Assert.Null(EvaluateCommand.ConfusionRows(new ConfusionMatrix([.. Enumerable.Range(0, 21).Select(i => $"c{i}")])));
        Assert.True(EvaluateCommand.ConfusionRows(new ConfusionMatrix([.. Enumerable.Range(0, 20).Select(i => $"class{i}")]))!.Value.Numbered);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Should_Quote_Csv_Fields_Only_When_Needed(string value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));

    [Fact]
    public void Should_Write_Floats_That_Read_Back_Exactly()
    {
        float[] values = [0.1f, 1f / 3, 1e-5f, 0.99999994f];
        Assert.Equal(values, values.Select(v => float.Parse(Csv.Number(v), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("0.1", Csv.Number(0.1f));
    }

    [Fact]
    public void Should_Name_A_Default_Run_Folder_After_The_Dataset_And_The_Time()
    {
        var now = new DateTime(2025, 1, 31, 14, 25, 1);
        Assert.Equal("GunPoint-20250131-142501", RunFolder.DefaultName("GunPoint", now));
        Assert.Equal("My_data_x-20250131-142501", RunFolder.DefaultName("My data/x", now));
    }

    [Fact]
    public void Should_Remove_Only_A_Folder_It_Created_And_Left_Empty()
    {
        using var temp = new TempFolder();
        var created = RunFolder.Create(temp.Combine("new"), "GunPoint", DateTime.Now);
        var existing = RunFolder.Create(temp.Path, "GunPoint", DateTime.Now);
        var filled = RunFolder.Create(temp.Combine("filled"), "GunPoint", DateTime.Now);
        File.WriteAllText(filled.File("epochs.csv"), "epoch\n");

        Assert.True(created.RemoveIfEmpty());
        Assert.False(existing.RemoveIfEmpty());
        Assert.False(filled.RemoveIfEmpty());
        Assert.Equal(["filled", "filled/epochs.csv"], temp.Entries());
    }
}
