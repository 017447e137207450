using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class PlantedPatternDataTests
{
    [Theory]
    [InlineData(PlantedShape.Bump)]
    [InlineData(PlantedShape.Step)]
    [InlineData(PlantedShape.SineBurst)]
    public void Should_Plant_The_Shape_Where_The_Mask_Says(PlantedShape shape)
    {
        // Given a set without noise, so every value is the pattern or zero
        var options = new PlantedPatternOptions { Count = 6, Channels = 3, Length = 30, PatternLength = 6, Shape = shape, PlantedChannels = [0, 2], Noise = 0, Amplitude = 2, Seed = 3 };

        var set = PlantedPatternData.Create(options);

        // Then values are non-zero exactly where the mask is set (channels 0 and 2, six steps from the start), upright for class 1
        for (var i = 0; i < 6; i++)
        {
            var series = set.Data.Series(i);
            var mask = set.MaskOf(i);
            Assert.InRange(set.Starts[i], 0, 24);
            for (var c = 0; c < 3; c++)
            {
                for (var t = 0; t < 30; t++)
                {
                    var planted = c != 1 && t >= set.Starts[i] && t < set.Starts[i] + 6;
                    Assert.Equal(planted, mask[c * 30 + t]);
                    if (!planted)
                        Assert.Equal(0f, series[c * 30 + t]);
                }
            }
            var u = 0.5 / 6; // the first step's position inside the window
            var first = shape switch { PlantedShape.Bump => Math.Sin(Math.PI * u), PlantedShape.Step => 1, _ => Math.Sin(6 * Math.PI * u) };
            Assert.Equal((i % 2 == 1 ? 2 : -2) * first, series[set.Starts[i]], 1e-5);
            Assert.Equal(i % 2 == 1 ? "1" : "0", set.Data.Labels![i]);
        }
    }

    [Fact]
    public void Should_Be_The_Same_For_The_Same_Seed_And_Noise_Of_The_Stated_Deviation()
    {
        var options = new PlantedPatternOptions { Count = 40, Channels = 2, Length = 100, Noise = 1.5, Seed = 9 };

        var a = PlantedPatternData.Create(options);
        var b = PlantedPatternData.Create(options);
        var c = PlantedPatternData.Create(options with { Seed = 10 });

        Assert.Equal(a.Data.Values.ToArray(), b.Data.Values.ToArray());
        Assert.NotEqual(a.Data.Values.ToArray(), c.Data.Values.ToArray());
        // channel 0 carries no pattern: pure noise, standard deviation 1.5
        var noise = Enumerable.Range(0, 40).SelectMany(i => a.Data.Series(i)[..100].ToArray()).Select(v => (double)v).ToArray();
        var mean = noise.Average();
        Assert.InRange(Math.Sqrt(noise.Average(v => (v - mean) * (v - mean))), 1.4, 1.6);
        Assert.True(a.Starts.Distinct().Count() > 10, "positions vary");
    }

    [Fact]
    public void Should_Write_A_Ts_File_The_Reader_Reads_Back_And_A_Mask_File()
    {
        using var folder = new TempFolder();
        var set = PlantedPatternData.Create(new PlantedPatternOptions { Count = 4, Channels = 2, Length = 20, PatternLength = 5, Seed = 1 }, "Planted");
        var path = Path.Combine(folder.Path, "Planted_TRAIN.ts");

        File.WriteAllText(path, TsWriter.Format(set.Data));
        var read = DatasetReader.Read(path);

        Assert.Equal(set.Data.Values.ToArray(), read.Values.ToArray());
        Assert.Equal(set.Data.Labels, read.Labels);
        Assert.Equal((2, 20), (read.Channels, read.Length));
        var rows = set.MaskCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("item,start,length,channels", rows[0]);
        Assert.Equal($"2,{set.Starts[2]},5,1", rows[3]);
    }

    [Fact]
    public void Should_Read_The_Mask_Back_And_Name_The_Line_Of_A_Bad_Row()
    {
        var set = PlantedPatternData.Create(new PlantedPatternOptions { Count = 5, Channels = 3, Length = 40, PatternLength = 6, PlantedChannels = [0, 2], Seed = 2 });

        var read = PlantedPatternSet.FromMaskCsv(set.Data, set.MaskCsv(), "mask.csv");
        var broken = set.MaskCsv().Replace($"3,{set.Starts[3]},6,0 2", "3,38,6,0 2", StringComparison.Ordinal);
        var error = Assert.Throws<DatasetFormatException>(() => PlantedPatternSet.FromMaskCsv(set.Data, broken, "mask.csv"));

        Assert.Equal(set.Mask.ToArray(), read.Mask.ToArray());
        Assert.Equal([0, 2], read.Options.PlantedChannels);
        Assert.Contains("mask.csv", error.Message);
        Assert.Contains("found '3,38,6,0 2'", error.Message);
        Assert.Equal(5, error.Line);
    }
}
