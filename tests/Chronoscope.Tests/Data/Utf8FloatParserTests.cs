using System.Globalization;
using System.Text;
using Chronoscope.Data.Formats;

namespace Chronoscope.Tests.Data;

/// <summary>The hand-written parser against the reference: the runtime's correctly rounded float.TryParse.</summary>
public sealed class Utf8FloatParserTests
{
    [Theory]
    [InlineData("-0.6478854")]
    [InlineData("-6.4788540e-01")]
    [InlineData("2.0000000e+00")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+1.5")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("000123.4500")]
    [InlineData("1E5")]
    [InlineData("1e-45")]
    [InlineData("3.4028235e38")]
    [InlineData("3.5e38")]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890")]
    [InlineData("1e23")]
    [InlineData("0.000000000000000000000001")]
    [InlineData("16777217")]
    [InlineData(" 1.5 ")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    public void Should_Parse_As_The_Runtime_Does(string text)
    {
        // Given a number as text  When both parsers read it  Then the bits agree
        Assert.True(float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected));
        Assert.True(Utf8FloatParser.TryParse(Encoding.UTF8.GetBytes(text), out var actual));
        Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData("1.2.3")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    public void Should_Refuse_What_The_Runtime_Refuses(string text)
    {
        // Given text that is not a number  When it is parsed  Then both parsers refuse it
        Assert.False(float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        Assert.False(Utf8FloatParser.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Should_Not_Round_Twice_Where_The_Double_Lands_On_A_Float_Midpoint()
    {
        // Given 0.5000000298023224: its nearest double is the midpoint 0.5 + 2^-25 between two floats, but the
        // decimal itself is slightly above it, so the correct float is the upper one, 0.50000006
        var bytes = "0.5000000298023224"u8;
        Assert.Equal(0.5f, (float)0.5000000298023224); // what a naive decimal → double → float would give

        // When it is parsed
        var fast = Utf8FloatParser.TryParseFast(bytes, out _);
        Assert.True(Utf8FloatParser.TryParse(bytes, out var value));

        // Then the fast path declines and the result is the correctly rounded float
        Assert.False(fast);
        Assert.Equal(0.50000006f, value);
    }

    [Fact]
    public void Should_Agree_With_The_Runtime_On_400_000_Varied_Numbers()
    {
        // Given numbers written every way dataset files write them, plus random digit strings and decimals
        // close to the midpoints between floats (where rounding twice would go wrong)
        var random = new Random(20240601);
        var texts = new List<string>();
        for (var i = 0; i < 40_000; i++)
        {
            var f = BitConverter.Int32BitsToSingle(random.Next()) * (random.Next(2) == 0 ? 1 : -1);
            if (!float.IsFinite(f))
                continue;
            var g = (float)(random.NextDouble() * 20 - 10);
            texts.Add(f.ToString("R", CultureInfo.InvariantCulture));
            texts.Add(g.ToString("R", CultureInfo.InvariantCulture));
            texts.Add(g.ToString("F7", CultureInfo.InvariantCulture));
            texts.Add(g.ToString("E7", CultureInfo.InvariantCulture));
            texts.Add(g.ToString("G9", CultureInfo.InvariantCulture));
            texts.Add(RandomDecimal(random));
            texts.Add(RandomDecimal(random));
            var next = MathF.BitIncrement(g);
            var midpoint = ((double)g + next) / 2;
            texts.Add(midpoint.ToString("R", CultureInfo.InvariantCulture));
            texts.Add(midpoint.ToString("G16", CultureInfo.InvariantCulture));
            texts.Add(midpoint.ToString("G15", CultureInfo.InvariantCulture));
        }

        // When each is parsed by both
        var disagreements = new List<string>();
        var fastPathHits = 0;
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var expectedOk = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
            var actualOk = Utf8FloatParser.TryParse(bytes, out var actual);
            fastPathHits += Utf8FloatParser.TryParseFast(bytes, out _) ? 1 : 0;
            if (expectedOk != actualOk || BitConverter.SingleToUInt32Bits(expected) != BitConverter.SingleToUInt32Bits(actual))
                disagreements.Add(text);
        }

        // Then they agree on every one, and the fast path did most of the work
        Assert.True(texts.Count > 360_000);
        Assert.Empty(disagreements);
        Assert.True(fastPathHits > texts.Count / 2, $"fast path took {fastPathHits} of {texts.Count}");
    }

    [Theory]
    [InlineData("?")]
    [InlineData(" ? ")]
    [InlineData("NaN")]
    [InlineData("nan")]
    public void Should_Read_A_Missing_Value_As_NaN(string text)
    {
        // Given the archive's missing-value marks  When read as a value  Then they are NaN
        Assert.True(Utf8FloatParser.TryParseValue(Encoding.UTF8.GetBytes(text), out var value));
        Assert.True(float.IsNaN(value));
    }

    /// <summary>1 to 20 random digits, a random decimal point, maybe a sign and an exponent.</summary>
    private static string RandomDecimal(Random random)
    {
        var digits = new StringBuilder();
        var count = random.Next(1, 21);
        for (var d = 0; d < count; d++)
            digits.Append((char)('0' + random.Next(10)));
        var point = random.Next(count + 1);
        var text = point == count ? digits.ToString() : digits.ToString().Insert(point, ".");
        if (random.Next(2) == 0)
            text = "-" + text;
        if (random.Next(3) == 0)
            text += (random.Next(2) == 0 ? "e" : "E") + random.Next(-40, 41).ToString(CultureInfo.InvariantCulture);
        return text;
    }
}
