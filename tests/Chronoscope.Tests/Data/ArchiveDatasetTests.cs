using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>The real archive files read with exactly the counts published in shared/data/README.md.</summary>
public sealed class ArchiveDatasetTests
{
    [Theory]
    [InlineData("GunPoint_TRAIN.arff", 50, 24, 26)]
    [InlineData("GunPoint_TEST.arff", 150, 76, 74)]
    [InlineData("GunPoint_TRAIN.ts", 50, 24, 26)]
    [InlineData("GunPoint_TEST.ts", 150, 76, 74)]
    [InlineData("GunPoint_TRAIN.tsv", 50, 24, 26)]
    [InlineData("GunPoint_TEST.tsv", 150, 76, 74)]
    [InlineData("GunPoint_TRAIN.txt", 50, 24, 26)]
    [InlineData("GunPoint_TEST.txt", 150, 76, 74)]
    public void Should_Read_GunPoint_With_The_Published_Counts_In_Every_Format(string file, int count, int ones, int twos)
    {
        // Given a GunPoint file in one of the archive's four formats
        var path = TestData.File("GunPoint", file);

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then it has the README's series, length, classes and class counts
        Assert.Equal("GunPoint", dataset.Name);
        Assert.Equal(count, dataset.Count);
        Assert.Equal(1, dataset.Channels);
        Assert.Equal(150, dataset.Length);
        Assert.True(dataset.IsEqualLength);
        Assert.Equal(0, dataset.MissingValueCount);
        Assert.Equal(["1", "2"], dataset.Classes);
        Assert.Equal([ones, twos], dataset.ClassCounts());
        Assert.Equal([path], dataset.Sources);
    }

    [Theory]
    [InlineData("TRAIN")]
    [InlineData("TEST")]
    public void Should_Read_Identical_Values_And_Labels_From_The_Four_GunPoint_Formats(string split)
    {
        // Given GunPoint's split in .arff, .ts, .tsv and .txt
        var datasets = new[] { "arff", "ts", "tsv", "txt" }
            .Select(extension => DatasetReader.Read(TestData.File("GunPoint", $"GunPoint_{split}.{extension}")))
            .ToList();

        // When each is compared with the ARFF, value by value, bit for bit
        var reference = datasets[0];
        foreach (var other in datasets.Skip(1))
        {
            // Then values and labels are the same
            Assert.Equal(FloatBits.Of(reference.Values), FloatBits.Of(other.Values));
            Assert.Equal(reference.Labels, other.Labels);
        }
    }

    [Fact]
    public void Should_Read_GunPoint_Values_As_An_Independent_Text_Parser_Does()
    {
        // Given GunPoint's TEST .tsv and a plain string-splitting reader of it
        var path = TestData.File("GunPoint", "GunPoint_TEST.tsv");
        var (values, labels) = SplitAndParse(path, '\t');

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then both agree bit for bit, and the first series starts as the file does
        Assert.Equal(FloatBits.Of(values), FloatBits.Of(dataset.Values));
        Assert.Equal(labels, dataset.Labels);
        Assert.Equal(-1.1250134f, dataset.Values[0]);
        Assert.Equal("1", dataset.Labels![0]);
    }

    [Theory]
    [InlineData("TRAIN", 100, 31, 69)]
    [InlineData("TEST", 100, 36, 64)]
    public void Should_Read_ECG200_With_Labels_Minus_One_Before_One(string split, int count, int minusOnes, int ones)
    {
        // Given ECG200's .tsv, whose labels are -1 and 1
        var path = TestData.File("ECG200", $"ECG200_{split}.tsv");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then counts and length match the README, and the vocabulary is numeric: -1 before 1
        Assert.Equal("ECG200", dataset.Name);
        Assert.Equal(count, dataset.Count);
        Assert.Equal(96, dataset.Length);
        Assert.Equal(["-1", "1"], dataset.Classes);
        Assert.Equal([minusOnes, ones], dataset.ClassCounts());
        var (values, labels) = SplitAndParse(path, '\t');
        Assert.Equal(FloatBits.Of(values), FloatBits.Of(dataset.Values));
        Assert.Equal(labels, dataset.Labels);
    }

    [Theory]
    [InlineData("ECG200", -3.0144511f, 4.1991449f)]
    [InlineData("PhalangesOutlinesCorrect", -2.1798871f, 2.460166f)]
    public void Should_Read_The_Value_Range_Published_For_Train_And_Test(string name, float min, float max)
    {
        // Given both splits of a dataset whose value range the README publishes
        var train = DatasetReader.Read(TestData.File(name, $"{name}_TRAIN.tsv"));
        var test = DatasetReader.Read(TestData.File(name, $"{name}_TEST.tsv"));

        // When both are pooled
        var pooled = TimeSeriesDataset.Concatenate(name, [train, test]);

        // Then the smallest and largest values are the published ones
        var values = pooled.Values.ToArray();
        Assert.Equal(min, values.Min());
        Assert.Equal(max, values.Max());
        Assert.Equal(train.Count + test.Count, pooled.Count);
    }

    [Theory]
    [InlineData("TRAIN", 1800, 628, 1172)]
    [InlineData("TEST", 858, 332, 526)]
    public void Should_Read_PhalangesOutlinesCorrect_With_The_Published_Counts(string split, int count, int zeros, int ones)
    {
        // Given the larger univariate file (2.3 MB for both splits)
        var path = TestData.File("PhalangesOutlinesCorrect", $"PhalangesOutlinesCorrect_{split}.tsv");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then it has the README's counts, and agrees with a plain string-splitting reader
        Assert.Equal(count, dataset.Count);
        Assert.Equal(80, dataset.Length);
        Assert.Equal(["0", "1"], dataset.Classes);
        Assert.Equal([zeros, ones], dataset.ClassCounts());
        var (values, labels) = SplitAndParse(path, '\t');
        Assert.Equal(FloatBits.Of(values), FloatBits.Of(dataset.Values));
        Assert.Equal(labels, dataset.Labels);
    }

    [Theory]
    [InlineData("BasicMotions_TRAIN.arff")]
    [InlineData("BasicMotions_TEST.arff")]
    [InlineData("BasicMotions_TRAIN.ts")]
    [InlineData("BasicMotions_TEST.ts")]
    public void Should_Read_BasicMotions_With_Six_Channels_And_Four_String_Classes(string file)
    {
        // Given a BasicMotions file (relational ARFF or multivariate .ts)
        var path = TestData.File("BasicMotions", file);

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then it has 40 series of 6 channels of length 100, ten of each class, classes in ordinal order
        Assert.Equal("BasicMotions", dataset.Name);
        Assert.Equal(40, dataset.Count);
        Assert.Equal(6, dataset.Channels);
        Assert.Equal(100, dataset.Length);
        Assert.Equal(["Badminton", "Running", "Standing", "Walking"], dataset.Classes);
        Assert.Equal([10, 10, 10, 10], dataset.ClassCounts());
    }

    [Theory]
    [InlineData("TRAIN")]
    [InlineData("TEST")]
    public void Should_Read_Identical_BasicMotions_From_Arff_And_Ts(string split)
    {
        // Given BasicMotions' split as relational ARFF and as .ts
        var arff = DatasetReader.Read(TestData.File("BasicMotions", $"BasicMotions_{split}.arff"));
        var ts = DatasetReader.Read(TestData.File("BasicMotions", $"BasicMotions_{split}.ts"));

        // Then values (N, C, L) and labels are the same, bit for bit
        Assert.Equal(FloatBits.Of(arff.Values), FloatBits.Of(ts.Values));
        Assert.Equal(arff.Labels, ts.Labels);
    }

    [Fact]
    public void Should_Put_Each_BasicMotions_Channel_Where_The_Ts_File_Writes_It()
    {
        // Given BasicMotions' TRAIN .ts and its first case split by hand into channels
        var path = TestData.File("BasicMotions", "BasicMotions_TRAIN.ts");
        var firstCase = File.ReadLines(path).First(line => line.Length > 0 && line[0] is not ('#' or '@'));
        var parts = firstCase.Split(':');
        var channels = parts[..^1].Select(p => p.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

        // When the file is read
        var dataset = DatasetReader.Read(path);

        // Then series 0 is (C, L) row-major with channel c at c·L, and its label is the last part
        var series = dataset.Series(0);
        for (var c = 0; c < 6; c++)
            Assert.Equal(FloatBits.Of(channels[c]), FloatBits.Of(series.Slice(c * 100, 100)));
        Assert.Equal(parts[^1], dataset.Labels![0]);
    }

    /// <summary>A second, independent reader: split each line on <paramref name="separator"/>, label first, float.Parse the rest.</summary>
    private static (float[] Values, string[] Labels) SplitAndParse(string path, char separator)
    {
        var rows = File.ReadLines(path).Where(l => l.Length > 0).Select(l => l.Split(separator)).ToList();
        var values = rows.SelectMany(r => r.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        return (values, rows.Select(r => r[0]).ToArray());
    }
}
