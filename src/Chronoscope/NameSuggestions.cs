namespace Chronoscope;

/// <summary>"Did you mean ...?" for every name a user types: datasets, colormaps, commands, methods.</summary>
internal static class NameSuggestions
{
    /// <summary>
    /// Up to <paramref name="maximum"/> of <paramref name="candidates"/> close to <paramref name="name"/>, nearest first:
    /// within a few edits (a third of the name's length, at least 2; case ignored), or containing it.
    /// </summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int maximum = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        var query = name.Trim();
        if (query.Length == 0)
            return [];
        var allowed = Math.Max(2, query.Length / 3);
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(query, candidate)))
            .Where(p => p.Distance <= allowed
                || (query.Length >= 3 && p.Candidate.Contains(query, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(p => p.Distance)
            .ThenBy(p => p.Candidate, StringComparer.Ordinal)
            .Take(maximum)
            .Select(p => p.Candidate)
            .ToList();
    }

    /// <summary>The Levenshtein distance, ignoring case: insertions, deletions and substitutions that turn one name into the other.</summary>
    internal static int EditDistance(string a, string b)
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
