namespace Chronoscope.Plotting;

/// <summary>
/// The grid the reference uses for n panels (fastai's <c>get_grid</c>, the package's multi-figure CAM):
/// rows = ⌊√n⌋, columns = ⌈n / rows⌉. n = 1 → 1×1, 2 → 1×2, 5 → 2×3, 9 → 3×3.
/// </summary>
public readonly record struct GridShape(int Rows, int Columns)
{
    /// <summary>The number of cells, <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int Cells => Rows * Columns;

    /// <summary>The grid for <paramref name="count"/> panels (at least 1).</summary>
    public static GridShape For(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rows = (int)Math.Sqrt(count);
        while ((rows + 1) * (rows + 1) <= count) // guard against floating-point error in the square root
            rows++;
        while (rows * rows > count)
            rows--;
        return new GridShape(rows, (count + rows - 1) / rows);
    }
}
