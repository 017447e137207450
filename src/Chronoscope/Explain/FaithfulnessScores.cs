namespace Chronoscope.Explain;

/// <summary>
/// Summary scores of perturbation curves, each the mean over items. With n steps at fractions f₁ … fₙ (2% … 50%),
/// M_i and L_i the explained class's probability after the MoRF and LeRF step i, I_i after the insertion step i, p₀ on
/// the unperturbed series, p_∅ on the fully replaced one, and E the model's mean probability for the class:
/// <list type="bullet">
/// <item><see cref="Ds"/> = (1/n) Σᵢ (L_i − M_i) (Baer et al. 2025, "class-perturbation-effects"): higher is better,
/// 0 for a ranking that knows nothing.</item>
/// <item><see cref="Dds"/> = Σᵢ wᵢ (L_i − M_i) with wᵢ = ((n − i + 1)/n)³ / Σⱼ ((n − j + 1)/n)³: the same, weighting
/// the first (smallest) perturbations most.</item>
/// <item><see cref="DeletionAuc"/> (Petsiuk et al. 2018): the trapezoid area under (0, p₀), (fᵢ, M_i), divided by
/// fₙ so it is a mean probability over 0–50%; lower is better.</item>
/// <item><see cref="InsertionAuc"/>: the same under (0, p_∅), (fᵢ, I_i); higher is better.</item>
/// <item><see cref="AucTop"/> and <see cref="AucBottom"/> (Turbé et al. 2023, InterpretTime): the trapezoid area under
/// (0, 0), (fᵢ, S̃(fᵢ)) divided by fₙ, with S̃ = clip(1 − (S − E)/(p₀ − E), −1, 1) the normalised drop of the score
/// S = M_i (top) or L_i (bottom); S̃ = 0 when p₀ = E. Turbé et al. integrate over 0–100% of the points; we integrate
/// over our 0–50% grid and divide by its width. AUC-S̃top should be high, AUC-S̃bottom low.</item>
/// <item><see cref="FScore"/> = 2 · a · (1 − b) / (a + 1 − b), the harmonic mean of a = AUC-S̃top and 1 − b, b =
/// AUC-S̃bottom, with a and b first clamped to 0..1 so the score stays in 0..1 (S̃ is negative when replacing cells
/// raises the class's probability above p₀, which LeRF often does); 0 when both terms are 0.</item>
/// </list>
/// </summary>
public readonly record struct FaithfulnessScores(double Ds, double Dds, double DeletionAuc, double InsertionAuc, double AucTop, double AucBottom, double FScore)
{
    /// <summary>The scores of <paramref name="curves"/>.</summary>
    public static FaithfulnessScores Of(FaithfulnessCurves curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var n = curves.Fractions.Count;
        var count = curves.Items.Count;
        var weights = DecayWeights(n);
        double ds = 0, dds = 0, deletion = 0, insertion = 0, top = 0, bottom = 0;
        var fractions = curves.Fractions.ToArray();
        for (var k = 0; k < count; k++)
        {
            var morf = Row(curves.MostRelevantFirst, k, n);
            var lerf = Row(curves.LeastRelevantFirst, k, n);
            var inserted = Row(curves.Insertion, k, n);
            var p0 = curves.Original[k];
            var expected = curves.Expected[k];
            for (var i = 0; i < n; i++)
            {
                ds += (lerf[i] - morf[i]) / n;
                dds += weights[i] * (lerf[i] - morf[i]);
            }
            deletion += Area(fractions, p0, morf);
            insertion += Area(fractions, curves.InsertionStart[k], inserted);
            top += Area(fractions, 0, [.. morf.Select(s => NormalisedDrop(s, p0, expected))]);
            bottom += Area(fractions, 0, [.. lerf.Select(s => NormalisedDrop(s, p0, expected))]);
        }
        var m = Math.Max(1, count);
        (top, bottom) = (top / m, bottom / m);
        var (a, b) = (Math.Clamp(top, 0, 1), Math.Clamp(bottom, 0, 1));
        var f = a + 1 - b > 0 ? 2 * a * (1 - b) / (a + 1 - b) : 0;
        return new FaithfulnessScores(ds / m, dds / m, deletion / m, insertion / m, top, bottom, f);
    }

    /// <summary>wᵢ = ((n − i + 1)/n)³ for i = 1 … n, normalised to sum 1.</summary>
    internal static double[] DecayWeights(int n)
    {
        var w = Enumerable.Range(1, n).Select(i => Math.Pow((n - i + 1.0) / n, 3)).ToArray();
        var sum = w.Sum();
        return [.. w.Select(v => v / sum)];
    }

    /// <summary>Turbé et al.'s S̃: 1 − (s − E)/(p₀ − E), clipped to −1..1; 0 when p₀ = E.</summary>
    internal static double NormalisedDrop(double score, double original, double expected)
    {
        var span = original - expected;
        return Math.Abs(span) < 1e-12 ? 0 : Math.Clamp(1 - (score - expected) / span, -1, 1);
    }

    /// <summary>The trapezoid area under (0, <paramref name="start"/>), (xᵢ, yᵢ), divided by the last x.</summary>
    internal static double Area(IReadOnlyList<double> x, double start, IReadOnlyList<double> y)
    {
        double area = 0, previousX = 0, previousY = start;
        for (var i = 0; i < x.Count; i++)
        {
            area += (x[i] - previousX) * (y[i] + previousY) / 2;
            (previousX, previousY) = (x[i], y[i]);
        }
        return x.Count > 0 && x[^1] > 0 ? area / x[^1] : 0;
    }

    private static double[] Row(IReadOnlyList<double> values, int k, int n)
    {
        var row = new double[n];
        for (var i = 0; i < n; i++)
            row[i] = values[k * n + i];
        return row;
    }
}
