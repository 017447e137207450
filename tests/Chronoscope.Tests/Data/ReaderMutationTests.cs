using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

/// <summary>
/// A seeded mutation fuzzer over every reader (not coverage-guided): the real GunPoint and BasicMotions files with bytes
/// flipped, inserted, deleted and lines duplicated or cut. Each read either succeeds or is a <see cref="DatasetFormatException"/>;
/// any other exception (an index out of range, an overflow) is a crash this test would have caught.
/// </summary>
public sealed class ReaderMutationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> Seeds() => new()
    {
        { "GunPoint", "GunPoint_TEST.ts" },
        { "GunPoint", "GunPoint_TEST.tsv" },
        { "GunPoint", "GunPoint_TEST.txt" },
        { "BasicMotions", "BasicMotions_TEST.arff" },
        { "BasicMotions", "BasicMotions_TEST.ts" },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Should_Read_Or_Refuse_Every_Mutation_Of_A_Real_File(string dataset, string file)
    {
        var original = File.ReadAllBytes(TestData.File(dataset, file));
        // The header and first cases are where the parsers branch most: mutate a prefix, keep the files small.
        var prefix = original.AsSpan(0, Math.Min(original.Length, 6000)).ToArray();
        var random = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7FFF);
        byte[] interesting = [.. "0123456789.,:-+eE?@#%'\"{}\t\n\r NaInfty\\"u8.ToArray(), 0, 0x1B, 0xFF, 0xC3];
        for (var round = 0; round < 150; round++)
        {
            var bytes = new List<byte>(prefix);
            for (var m = random.Next(1, 6); m > 0 && bytes.Count > 0; m--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0: bytes[at] = interesting[random.Next(interesting.Length)]; break;
                    case 1: bytes.Insert(at, interesting[random.Next(interesting.Length)]); break;
                    case 2: bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at)); break;
                    case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 200), bytes.Count - at))); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }
            var path = _folder.Write($"{round}_{file}", [.. bytes]);
            try
            {
                var data = DatasetReader.Read(path);
                Assert.Equal(data.Count * data.Channels * data.Length, data.Values.Length);
            }
            catch (DatasetFormatException)
            {
                // the expected answer to a broken file
            }
        }
    }
}
