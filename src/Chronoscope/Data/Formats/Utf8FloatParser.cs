using System.Globalization;
using System.Text;

namespace Chronoscope.Data.Formats;

/// <summary>
/// Parses a float from UTF-8 bytes with exactly the result of
/// <c>float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)</c>, faster for the
/// plain decimals that dataset files hold (<c>-0.64199155</c>, <c>-6.4788540e-01</c>).
/// </summary>
/// <remarks>
/// The fast path is Clinger's: a decimal with at most 19 significant digits whose digits form an integer
/// w ≤ 2^53 and whose power of ten p has |p| ≤ 22 is w·10^p, and since w and 10^p are both exact doubles,
/// one IEEE multiplication or division gives the correctly rounded double d. Rounding d to float could
/// then round twice; that only changes the result when d lands exactly on a midpoint between two floats,
/// so such a d (and everything else the fast path does not cover: whitespace, NaN, Infinity, long digit
/// strings, large exponents) goes to the runtime's parser, which is correctly rounded.
/// </remarks>
internal static class Utf8FloatParser
{
    private const ulong MaxExactMantissa = 1UL << 53;
    private const int MaxSignificantDigits = 19;
    private const int MaxExactPowerOfTen = 22;

    // Float keeps 24 of the double's 53 significand bits; these are the 29 it drops.
    private const ulong DroppedBitsMask = (1UL << 29) - 1;
    private const ulong MidpointBits = 1UL << 28;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses a dataset value: a finite number, or <c>?</c> or <c>NaN</c> (a missing value, as NaN). Surrounding
    /// whitespace is allowed. False when it is neither: one rule for every spelling of a value a float cannot hold
    /// (<c>Infinity</c>, <c>inf</c>, <c>1e309</c>, <c>3.5e38</c> which overflows float), so no infinity reaches the network;
    /// with <paramref name="nonFiniteAsMissing"/> such a value is a missing value (NaN) instead.
    /// </summary>
    public static bool TryParseValue(ReadOnlySpan<byte> text, out float value, bool nonFiniteAsMissing = false)
    {
        if (TryParseFast(text, out value))
            return true;
        if (Utf8Text.Trim(text).SequenceEqual("?"u8))
        {
            value = float.NaN;
            return true;
        }
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            // The spellings of infinity the runtime does not parse (inf, -inf, ∞) are non-finite values too.
            value = float.NaN;
            return nonFiniteAsMissing && IsInfinitySpelling(text);
        }
        if (!float.IsInfinity(value))
            return true;
        value = float.NaN;
        return nonFiniteAsMissing;
    }

    /// <summary>True for <c>inf</c>, <c>infinity</c> or <c>∞</c> in any case, with or without a sign.</summary>
    private static bool IsInfinitySpelling(ReadOnlySpan<byte> text)
    {
        var word = Utf8Text.Trim(text);
        if (!word.IsEmpty && word[0] is (byte)'+' or (byte)'-')
            word = word[1..];
        return Ascii.EqualsIgnoreCase(word, "inf"u8) || Ascii.EqualsIgnoreCase(word, "infinity"u8) || word.SequenceEqual("∞"u8);
    }

    /// <summary>Parses <paramref name="text"/>; false when it is not a number.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out float value)
        => TryParseFast(text, out value)
            || float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The fast path alone: false means "ask the runtime", not "not a number".</summary>
    internal static bool TryParseFast(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        var i = 0;
        var n = text.Length;
        if (n == 0)
            return false;

        var negative = false;
        if (text[0] == (byte)'-')
        {
            negative = true;
            i++;
        }
        else if (text[0] == (byte)'+')
        {
            i++;
        }

        ulong mantissa = 0;
        var significantDigits = 0;
        var anyDigit = false;
        var exponent = 0;

        for (; i < n; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9)
                break;
            anyDigit = true;
            if (mantissa != 0 || digit != 0)
            {
                if (++significantDigits > MaxSignificantDigits)
                    return false;
                mantissa = mantissa * 10 + digit;
            }
        }
        if (i < n && text[i] == (byte)'.')
        {
            for (i++; i < n; i++)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9)
                    break;
                anyDigit = true;
                exponent--;
                if (mantissa != 0 || digit != 0)
                {
                    if (++significantDigits > MaxSignificantDigits)
                        return false;
                    mantissa = mantissa * 10 + digit;
                }
            }
        }
        if (!anyDigit)
            return false;

        if (i < n && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            var negativeExponent = false;
            if (i < n && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }
            var written = 0;
            var exponentDigits = 0;
            for (; i < n; i++)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9)
                    break;
                exponentDigits++;
                if (written < 100_000)
                    written = written * 10 + (int)digit;
            }
            if (exponentDigits == 0)
                return false;
            exponent += negativeExponent ? -written : written;
        }
        if (i != n)
            return false;

        if (mantissa == 0)
        {
            value = negative ? -0f : 0f;
            return true;
        }
        if (mantissa > MaxExactMantissa || exponent < -MaxExactPowerOfTen || exponent > MaxExactPowerOfTen)
            return false;

        double exact = mantissa;
        exact = exponent < 0 ? exact / PowersOfTen[-exponent] : exact * PowersOfTen[exponent];
        if ((BitConverter.DoubleToUInt64Bits(exact) & DroppedBitsMask) == MidpointBits)
            return false;

        var rounded = (float)exact;
        value = negative ? -rounded : rounded;
        return true;
    }
}
