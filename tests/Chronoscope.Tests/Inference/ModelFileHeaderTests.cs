using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Inference;

/// <summary>
/// Crafted model files whose checksum was recomputed, so only the header's own checks stand between them and the
/// network: every field out of bounds is a <see cref="ModelFileException"/> that names it, before anything is built.
/// </summary>
public sealed class ModelFileHeaderTests : IDisposable
{
    private const int MagicLength = 18; // "CHRONOSCOPE-MODEL\n"

    private readonly TempFolder _folder = new();
    private readonly byte[] _original;

    public ModelFileHeaderTests()
    {
        var path = _folder.Combine("original.chronoscope");
        using (var classifier = SmallModels.GunPoint())
            classifier.Save(path);
        _original = File.ReadAllBytes(path);
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Depth", "1000000", "Depth: expected 1 to 100, found 1000000")]
    [InlineData("Filters", "100000", "Filters: expected 1 to 1024, found 100000")]
    [InlineData("InputChannels", "0", "InputChannels: expected 1 to 10000, found 0")]
    [InlineData("Classes", "[]", "Classes: expected 1 to 100000 class names, found 0")]
    [InlineData("Classes", "null", "Classes: expected 1 to 100000 class names, found nothing")]
    [InlineData("Classes", "[\"1\",\"1\"]", "Classes: expected distinct names, found \"1\" twice")]
    [InlineData("KernelSizes", "[9,0,3]", "KernelSizes: expected 1 to 16 sizes of 1 to 10000, found 9,0,3")]
    [InlineData("Variant", "\"Banana\"", "Variant: expected one of Fastai, Paper, Tsai, found Banana")]
    [InlineData("Variant", "\"7\"", "Variant: expected one of Fastai, Paper, Tsai, found 7")]
    [InlineData("NormalizationOffsets", "[]", "NormalizationOffsets: expected 1 finite values for PerChannel, found 0")]
    [InlineData("Normalization", "\"MeanSeries\"", "NormalizationOffsets: expected 150 finite values for MeanSeries, found 1")]
    [InlineData("MissingValues", "\"Guess\"", "MissingValues: expected Interpolate, Zero, Fail, found Guess")]
    [InlineData("SeriesLength", "-5", "SeriesLength: expected 1 to 100000000, found -5")]
    [InlineData("VariableLengths", "\"Stretch\"", "VariableLengths: expected Pad, Resample, found Stretch")]
    [InlineData("VariableLengths", "null", "VariableLengths: expected Pad, Resample, found nothing")]
    [InlineData("*", "{\"Filters\":1024,\"Depth\":100}", "expected a network of at most 100,000,000 parameters")]
    public void Should_Name_A_Header_Field_Out_Of_Bounds_Before_Building_Anything(string field, string json, string expected)
    {
        using var leaks = new TensorLeakCheck();
        // "*": several fields at once, each within its own bounds
        var path = Write(Craft(header =>
        {
            if (field != "*")
                header[field] = JsonNode.Parse(json);
            else
                foreach (var (name, value) in JsonNode.Parse(json)!.AsObject())
                    header[name] = value?.DeepClone();
        }));

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.StartsWith($"{path}: corrupt header: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(long.MaxValue - 3)]
    [InlineData(-1)]
    [InlineData(1L << 40)]
    public void Should_Refuse_A_Header_Length_Out_Of_Bounds_Without_Reading_It(long headerLength)
    {
        var bytes = _original.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(MagicLength + 4), headerLength);
        var path = Write(WithChecksum(bytes));

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.Contains("header length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Load_A_Model_Whose_Header_Was_Rewritten_Unchanged()
    {
        // The crafting itself keeps a valid file valid: the failures above come from the fields, not from the rewrite.
        using var leaks = new TensorLeakCheck();
        var path = Write(Craft(_ => { }));

        using var classifier = TimeSeriesClassifier.Load(path);

        Assert.Equal(["1", "2"], classifier.Classes);
    }

    [Fact]
    public void Should_Read_A_Header_Written_Before_Resampling_Existed_As_Padding()
    {
        using var leaks = new TensorLeakCheck();
        var path = Write(Craft(header => Assert.True(header.Remove("VariableLengths"))));

        using var classifier = TimeSeriesClassifier.Load(path);

        Assert.Equal(Chronoscope.Data.VariableLengths.Pad, classifier.VariableLengths);
    }

    [Fact]
    public void Should_Answer_Any_Random_Header_With_A_Model_Or_A_Model_File_Error()
    {
        // A seeded fuzzer: random values, of random types, in random fields; the checksum always recomputed.
        using var leaks = new TensorLeakCheck();
        var random = new Random(11);
        string[] fields = ["Variant", "Depth", "Filters", "KernelSizes", "BottleneckSize", "InputChannels", "SeriesLength", "Classes",
            "Normalization", "NormalizationOffsets", "NormalizationScales", "MissingValues", "VariableLengths", "DatasetName", "Training"];
        var memoryBefore = Environment.WorkingSet;
        for (var round = 0; round < 300; round++)
        {
            var changes = random.Next(1, 4);
            var path = Write(Craft(header =>
            {
                for (var c = 0; c < changes; c++)
                    header[fields[random.Next(fields.Length)]] = RandomValue(random);
            }));
            try
            {
                using var classifier = TimeSeriesClassifier.Load(path);
            }
            catch (ModelFileException)
            {
                // the expected answer to a broken header
            }
            Assert.True(Environment.WorkingSet - memoryBefore < 2L << 30, $"round {round}: the working set grew by {(Environment.WorkingSet - memoryBefore) >> 20} MB");
        }
    }

    private static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(-3, 3)),
        2 => JsonValue.Create(random.Next(2) == 0 ? int.MaxValue : int.MinValue),
        3 => JsonValue.Create(random.Next(1, 5000)),
        4 => JsonValue.Create(random.NextDouble() * 1e6),
        5 => JsonValue.Create(random.Next(3) switch { 0 => "Fastai", 1 => "PerChannel", _ => "\u001b[2J" }),
        6 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => (JsonNode?)JsonValue.Create(random.Next(-2, 50)))]),
        7 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(i => (JsonNode?)JsonValue.Create(i % 2 == 0 ? "a" : "b"))]),
        _ => new JsonObject { ["x"] = 1 },
    };

    /// <summary>The original file with its JSON header changed by <paramref name="change"/>, lengths and checksum recomputed.</summary>
    private byte[] Craft(Action<JsonObject> change)
    {
        var headerLength = (int)BinaryPrimitives.ReadInt64LittleEndian(_original.AsSpan(MagicLength + 4));
        var headerStart = MagicLength + 4 + 8;
        var header = JsonNode.Parse(_original.AsSpan(headerStart, headerLength))!.AsObject();
        change(header);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var rest = _original.AsSpan(headerStart + headerLength, _original.Length - headerStart - headerLength - SHA256.HashSizeInBytes);
        var bytes = new byte[headerStart + json.Length + rest.Length + SHA256.HashSizeInBytes];
        _original.AsSpan(0, MagicLength + 4).CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(MagicLength + 4), json.Length);
        json.CopyTo(bytes, headerStart);
        rest.CopyTo(bytes.AsSpan(headerStart + json.Length));
        return WithChecksum(bytes);
    }

    private static byte[] WithChecksum(byte[] bytes)
    {
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - SHA256.HashSizeInBytes)).CopyTo(bytes.AsSpan(bytes.Length - SHA256.HashSizeInBytes));
        return bytes;
    }

    private string Write(byte[] bytes) => _folder.Write($"crafted-{Guid.NewGuid():N}.chronoscope", bytes);
}
