namespace Chronoscope.Data;

/// <summary>
/// Readable names for classes whose labels are codes, as the reference's <c>lbl_dict</c> / <c>i2o</c> turn GunPoint's
/// <c>1</c> and <c>2</c> into <c>Gun</c> and <c>Point</c>. A class can be named by its index in the class vocabulary
/// (<c>{0: "Gun", 1: "Point"}</c>, the reference's way) or by its label as the data files write it (<c>1=Gun,2=Point</c>);
/// a class left unnamed keeps its label.
/// </summary>
public sealed class ClassNames
{
    private readonly IReadOnlyDictionary<int, string>? _byIndex;
    private readonly IReadOnlyDictionary<string, string>? _byLabel;

    private ClassNames(IReadOnlyDictionary<int, string>? byIndex, IReadOnlyDictionary<string, string>? byLabel)
    {
        _byIndex = byIndex;
        _byLabel = byLabel;
    }

    /// <summary>Names in vocabulary order: <c>names[k]</c> names class k (there may be fewer names than classes).</summary>
    public static ClassNames ByIndex(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return ByIndex(names.Select((name, k) => (k, name)).ToDictionary(p => p.k, p => p.name));
    }

    /// <summary>Names by class index, the reference's <c>lbl_dict = {0: 'Gun', 1: 'Point'}</c>.</summary>
    public static ClassNames ByIndex(IReadOnlyDictionary<int, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var (index, name) in names)
        {
            if (index < 0)
                throw new ArgumentException($"Class names: expected class indices ≥ 0, found {index}.", nameof(names));
            CheckName(name, index.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(names));
        }
        return new ClassNames(new Dictionary<int, string>(names), null);
    }

    /// <summary>Names by label as the data files write it, e.g. <c>{"1": "Gun", "2": "Point"}</c> for GunPoint.</summary>
    public static ClassNames ByLabel(IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var (label, name) in names)
            CheckName(name, label, nameof(names));
        return new ClassNames(null, new Dictionary<string, string>(names, StringComparer.Ordinal));
    }

    /// <summary>
    /// Reads names as a command line writes them: <c>1=Gun,2=Point</c> names classes by label; <c>Gun,Point</c> (no
    /// <c>=</c>) names them in vocabulary order. Spaces around names and labels are ignored.
    /// </summary>
    /// <exception cref="FormatException">The text mixes both forms, repeats a label, or leaves a name empty.</exception>
    public static ClassNames Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',').Select(p => p.Trim()).ToArray();
        var withLabel = parts.Count(p => p.Contains('=', StringComparison.Ordinal));
        if (withLabel == 0)
        {
            if (parts.Any(p => p.Length == 0))
                throw new FormatException($"Class names \"{text}\": expected names separated by commas (Gun,Point), found an empty name.");
            return ByIndex(parts);
        }
        if (withLabel != parts.Length)
        {
            var bare = parts.First(p => !p.Contains('=', StringComparison.Ordinal));
            throw new FormatException($"Class names \"{text}\": expected every entry as label=name (1=Gun,2=Point), found \"{bare}\" without '='; or give only names, in class order (Gun,Point).");
        }
        var byLabel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var (label, name) = (part[..equals].Trim(), part[(equals + 1)..].Trim());
            if (label.Length == 0 || name.Length == 0)
                throw new FormatException($"Class names \"{text}\": expected label=name with both sides filled, found \"{part}\".");
            if (!byLabel.TryAdd(label, name))
                throw new FormatException($"Class names \"{text}\": label \"{label}\" is named twice.");
        }
        return new ClassNames(null, byLabel);
    }

    /// <summary>
    /// The display name of every class of <paramref name="classes"/> (a vocabulary, e.g. a model's or a dataset's
    /// <c>Classes</c>), in its order: the given name, else the label itself.
    /// </summary>
    /// <exception cref="ArgumentException">A name is given for a class the vocabulary does not have; the message lists the classes.</exception>
    public IReadOnlyList<string> Resolve(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        IReadOnlyList<string> resolved;
        if (_byIndex is not null)
        {
            var unknown = _byIndex.Keys.Where(k => k >= classes.Count).Order().ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"Class names: no class {string.Join(", ", unknown)}; expected indices 0 to {classes.Count - 1} for the {classes.Count} classes {string.Join(", ", classes)}.", nameof(classes));
            resolved = [.. classes.Select((label, k) => _byIndex.TryGetValue(k, out var name) ? name : label)];
        }
        else
        {
            var missing = _byLabel!.Keys.Where(label => !classes.Contains(label, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
                throw new ArgumentException($"Class names: no class labelled {string.Join(", ", missing.Select(l => $"\"{l}\""))}; the classes are {string.Join(", ", classes)}.", nameof(classes));
            resolved = [.. classes.Select(label => _byLabel.TryGetValue(label, out var name) ? name : label)];
        }
        // A picture or table would show two classes as one.
        if (resolved.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Class names: \"{twice.Key}\" would name two classes; give each its own name.", nameof(classes));
        return resolved;
    }

    /// <summary>
    /// For messages, as <see cref="Parse"/> reads it where it can: <c>Gun,Point</c> by index from 0, <c>{0: Gun, 2: Point}</c>
    /// by indices with a gap, <c>1=Gun,2=Point</c> by label.
    /// </summary>
    public override string ToString() => _byIndex is null
        ? string.Join(",", _byLabel!.Select(p => $"{p.Key}={p.Value}"))
        : _byIndex.Keys.Order().SequenceEqual(Enumerable.Range(0, _byIndex.Count))
            ? string.Join(",", _byIndex.OrderBy(p => p.Key).Select(p => p.Value))
            : "{" + string.Join(", ", _byIndex.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")) + "}";

    private static void CheckName(string? name, string key, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"Class names: class {key} has an empty name.", parameter);
    }
}
