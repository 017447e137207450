namespace Chronoscope.Explain;

/// <summary>
/// Perturbation curves of one method's maps: for each item, the explained class's probability after the top (MoRF)
/// or bottom (LeRF) share of cells was replaced, and after the top share was restored into a fully replaced series
/// (insertion). Row-major (items × steps) arrays of probabilities; plain .NET values.
/// </summary>
public sealed class FaithfulnessCurves
{
    internal FaithfulnessCurves(string method, Perturbation perturbation, double[] fractions, double[] original, double[] expected,
        double[] morf, double[] lerf, double[] insertion, double[] insertionStart, IReadOnlyList<int> items)
    {
        Method = method;
        Perturbation = perturbation;
        Fractions = fractions;
        Original = original;
        Expected = expected;
        MostRelevantFirst = morf;
        LeastRelevantFirst = lerf;
        Insertion = insertion;
        InsertionStart = insertionStart;
        Items = items;
    }

    /// <summary>The method's name, e.g. <c>Integrated Gradients</c>.</summary>
    public string Method { get; }

    public Perturbation Perturbation { get; }

    /// <summary>The share of cells replaced at each step: 0.02, 0.04, … (n values).</summary>
    public IReadOnlyList<double> Fractions { get; }

    /// <summary>The items' indices in the data.</summary>
    public IReadOnlyList<int> Items { get; }

    /// <summary>The explained class's probability on each unperturbed item.</summary>
    public IReadOnlyList<double> Original { get; }

    /// <summary>
    /// The expected probability of each item's explained class: the model's mean probability for that class over all
    /// evaluated items (Turbé et al.'s E[S]).
    /// </summary>
    public IReadOnlyList<double> Expected { get; }

    /// <summary>MoRF: (items × n) probabilities with the most relevant cells replaced.</summary>
    public IReadOnlyList<double> MostRelevantFirst { get; }

    /// <summary>LeRF: (items × n) probabilities with the least relevant cells replaced.</summary>
    public IReadOnlyList<double> LeastRelevantFirst { get; }

    /// <summary>Insertion: (items × n) probabilities of a fully replaced series with the most relevant cells restored.</summary>
    public IReadOnlyList<double> Insertion { get; }

    /// <summary>The explained class's probability on each fully replaced series (insertion's starting point).</summary>
    public IReadOnlyList<double> InsertionStart { get; }

    /// <summary>The mean over items of <paramref name="curve"/> (one of the three curves), n values.</summary>
    public double[] Mean(IReadOnlyList<double> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var n = Fractions.Count;
        var mean = new double[n];
        for (var k = 0; k < Items.Count; k++)
        {
            for (var i = 0; i < n; i++)
                mean[i] += curve[k * n + i] / Items.Count;
        }
        return mean;
    }
}
