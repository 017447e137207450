namespace Chronoscope.Data;

/// <summary>The Levenshtein distance, ignoring case: how many insertions, deletions and substitutions turn one name into another.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        // Two rows of the (|a|+1) × (|b|+1) dynamic-programming table.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var ai = char.ToUpperInvariant(a[i - 1]);
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (ai == char.ToUpperInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
