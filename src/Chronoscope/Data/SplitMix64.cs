namespace Chronoscope.Data;

/// <summary>
/// A tiny counter-based generator (Steele, Lea and Flood's SplitMix64). Shuffles derive from (seed, epoch) alone,
/// so an epoch's order never depends on what else consumed random numbers before it.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in 0..<paramref name="bound"/>-1 (Lemire's multiply-shift; the bias is below 2^-32 for our sizes).</summary>
    public int NextInt(int bound) => (int)((UInt128)Next() * (ulong)bound >> 64);

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
