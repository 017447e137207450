using System.Globalization;

namespace Chronoscope.Data;

/// <summary>The order of class labels: numeric when every label is a number (so -1 before 1, 2 before 10), else ordinal.</summary>
public static class ClassVocabulary
{
    /// <summary>The distinct labels in vocabulary order.</summary>
    public static IReadOnlyList<string> Sort(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var label in distinct)
        {
            if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            {
                distinct.Sort(StringComparer.Ordinal);
                return distinct;
            }
            numbers[label] = value;
        }
        distinct.Sort((a, b) =>
        {
            var byValue = numbers[a].CompareTo(numbers[b]);
            return byValue != 0 ? byValue : StringComparer.Ordinal.Compare(a, b);
        });
        return distinct;
    }
}
