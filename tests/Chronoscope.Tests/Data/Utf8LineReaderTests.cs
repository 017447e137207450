using System.Text;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class Utf8LineReaderTests
{
    [Fact]
    public void Should_Return_The_Same_Lines_As_The_Runtime_Across_Buffer_Boundaries()
    {
        // Given 60,000 lines of random lengths (up to 300 bytes), LF or CRLF, some empty: several MiB, so many
        // lines straddle the 1 MiB buffer's refills
        using var folder = new TempFolder();
        var random = new Random(7);
        var text = new StringBuilder();
        var expected = new List<string>();
        for (var i = 0; i < 60_000; i++)
        {
            var line = new string('x', random.Next(0, 300)) + i;
            if (random.Next(10) == 0)
                line = "";
            expected.Add(line);
            text.Append(line).Append(random.Next(2) == 0 ? "\n" : "\r\n");
        }
        var path = folder.Write("lines.txt", text.ToString());

        // When it is read line by line
        var actual = new List<string>();
        var numbers = new List<long>();
        using (var reader = Utf8LineReader.Open(path))
        {
            while (reader.TryReadLine(out var line))
            {
                actual.Add(Encoding.UTF8.GetString(line));
                numbers.Add(reader.LineNumber);
            }
        }

        // Then the lines, without their terminators, are those written, numbered from 1
        Assert.Equal(expected, actual);
        Assert.Equal(Enumerable.Range(1, expected.Count).Select(n => (long)n), numbers);
    }

    [Fact]
    public void Should_Skip_The_Byte_Order_Mark_Only_At_The_Start_And_Return_A_Last_Line_Without_Newline()
    {
        // Given a BOM, a line, a line starting with a BOM-like sequence, and a last line without newline
        using var folder = new TempFolder();
        var path = folder.Write("bom.txt", [0xEF, 0xBB, 0xBF, .. "a\n"u8, 0xEF, 0xBB, 0xBF, .. "b\r\nlast"u8]);

        // When it is read
        var lines = new List<byte[]>();
        using (var reader = Utf8LineReader.Open(path))
        {
            while (reader.TryReadLine(out var line))
                lines.Add(line.ToArray());
        }

        // Then only the first BOM is dropped
        Assert.Equal(3, lines.Count);
        Assert.Equal("a"u8.ToArray(), lines[0]);
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'b'], lines[1]);
        Assert.Equal("last"u8.ToArray(), lines[2]);
    }

    [Fact]
    public void Should_Count_Lines_Before_A_Nul_Byte_In_A_Later_Block()
    {
        // Given 3 MiB of lines with a NUL on line 200,001 (beyond the first buffer)
        using var folder = new TempFolder();
        var text = new StringBuilder();
        for (var i = 0; i < 200_000; i++)
            text.Append("0123456789abcdef\n");
        var bytes = Encoding.ASCII.GetBytes(text.Append("x\0y\n").ToString());
        var path = folder.Write("nul.tsv", bytes);

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() =>
        {
            using var reader = Utf8LineReader.Open(path);
            while (reader.TryReadLine(out _))
            {
            }
        });

        // Then the NUL's line is named
        Assert.Equal(200_001, error.Line);
    }
}
