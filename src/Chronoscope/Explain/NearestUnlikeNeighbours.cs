using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// For many queries at once, the closest of a set of candidate series (each query its own set, given by the class it
/// aims at): Euclidean distances for a whole group of queries in one matrix product, DTW query by query with LB_Keogh
/// pruning and early abandoning. Ties go to the lower training index, as a scan in index order would choose.
/// </summary>
internal static class NearestUnlikeNeighbours
{
    // Query rows per matrix product: bounds the (queries × candidates) distance matrix held at once.
    private const int QueryRowsPerProduct = 1024;

    /// <summary>
    /// The nearest candidate of each query and its distance; (-1, NaN) for a query whose candidate set is empty.
    /// <paramref name="queries"/> and <paramref name="training"/> are (N, C·L) row-major.
    /// </summary>
    public static (int Index, double Distance)[] Find(
        float[] queries, float[] training, int channels, int length, IReadOnlyList<IReadOnlyList<int>> candidates,
        SeriesDistance distance, int band, CancellationToken cancellationToken)
    {
        var size = channels * length;
        var found = new (int Index, double Distance)[candidates.Count];
        if (distance == SeriesDistance.Euclidean)
        {
            // Queries that share a candidate set (the same target class) share one product.
            foreach (var group in Enumerable.Range(0, candidates.Count).Where(q => candidates[q].Count > 0).GroupBy(q => candidates[q]))
            {
                foreach (var rows in group.Chunk(QueryRowsPerProduct))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var set = group.Key;
                    var squared = SquaredEuclideanMatrix(queries, training, size, rows, set); // (rows, set)
                    for (var r = 0; r < rows.Length; r++)
                    {
                        var best = 0;
                        for (var k = 1; k < set.Count; k++)
                            best = squared[r * set.Count + k] < squared[r * set.Count + best] ? k : best;
                        // The product's value has lost digits to cancellation; the chosen pair's distance is recomputed.
                        found[rows[r]] = (set[best], Euclidean(queries.AsSpan(rows[r] * size, size), training.AsSpan(set[best] * size, size)));
                    }
                }
            }
        }
        else
        {
            Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken },
                q => found[q] = candidates[q].Count == 0 ? default : NearestByDtw(queries.AsSpan(q * size, size), training, channels, length, candidates[q], band));
        }
        for (var q = 0; q < candidates.Count; q++)
        {
            if (candidates[q].Count == 0)
                found[q] = (-1, double.NaN);
        }
        return found;
    }

    /// <summary>‖a‖² + ‖b‖² − 2·a·b for every query row against every candidate, in float64, as a (rows, candidates) array.</summary>
    private static double[] SquaredEuclideanMatrix(float[] queries, float[] training, int size, int[] rows, IReadOnlyList<int> set)
    {
        using var scope = torch.NewDisposeScope();
        var a = Gather(queries, size, rows);                 // (Q, D)
        var b = Gather(training, size, set);                 // (M, D)
        var aa = a.square().sum(1, keepdim: true);           // (Q, 1)
        var bb = b.square().sum(1).unsqueeze(0);             // (1, M)
        var squared = aa + bb - 2 * a.matmul(b.t());         // (Q, M)
        return squared.data<double>().ToArray();
    }

    private static torch.Tensor Gather(float[] values, int size, IReadOnlyList<int> rows)
    {
        var gathered = new double[rows.Count * size];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = values.AsSpan(rows[r] * size, size);
            for (var i = 0; i < size; i++)
                gathered[r * size + i] = row[i];
        }
        return torch.tensor(gathered, [rows.Count, size]);
    }

    /// <summary>
    /// The nearest candidate by DTW: candidates in increasing order of their LB_Keogh bound, each DTW abandoned once it
    /// exceeds the best so far, the scan stopped at the first bound above it.
    /// </summary>
    private static (int Index, double Distance) NearestByDtw(ReadOnlySpan<float> query, float[] training, int channels, int length, IReadOnlyList<int> set, int band)
    {
        var size = channels * length;
        var (upper, lower) = DynamicTimeWarping.Envelope(query, channels, length, band);
        var bounds = new double[set.Count];
        for (var k = 0; k < set.Count; k++)
            bounds[k] = DynamicTimeWarping.LowerBound(training.AsSpan(set[k] * size, size), upper, lower, double.PositiveInfinity);
        var order = Enumerable.Range(0, set.Count).OrderBy(k => bounds[k]).ThenBy(k => set[k]).ToArray();
        var (bestIndex, best) = (-1, double.PositiveInfinity);
        foreach (var k in order)
        {
            if (bounds[k] > best)
                break;
            var d = DynamicTimeWarping.SquaredDistance(query, training.AsSpan(set[k] * size, size), channels, length, band, best);
            if (d < best || (d == best && set[k] < bestIndex))
                (bestIndex, best) = (set[k], d);
        }
        return (bestIndex, Math.Sqrt(best));
    }

    internal static double Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }
}
