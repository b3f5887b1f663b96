using System.Numerics;

namespace MLNetNN.Numerics;

/// <summary>
/// The sums of a row-major matrix's columns, <c>sums[j] = Σ_r g[r·width + j]</c>, rows added in order: the bias gradient of a
/// dense or convolutional layer.
/// </summary>
internal static class ColumnSums
{
    /// <summary>
    /// <c>sums[j] = Σ_r g[r·width + j]</c> for <c>j &lt; width</c>, over <paramref name="rows"/> rows: up to four registers' worth of
    /// columns at a time down all rows, where a <see cref="System.Numerics.Tensors.TensorPrimitives"/> call per row cost more
    /// than its additions for a 10-unit layer.
    /// </summary>
    public static void Of(ReadOnlySpan<float> g, int rows, int width, Span<float> sums)
    {
        if (g.Length < (long)rows * width) throw new ArgumentException($"{rows} rows of {width} need {(long)rows * width} values; got {g.Length}.", nameof(g));
        if (sums.Length < width) throw new ArgumentException($"{width} sums need room for {width}; got {sums.Length}.", nameof(sums));
        int j = 0, v = Vector<float>.Count;
        // Four registers of columns per pass down the rows: a convolution's 21,632 rows × 32 filters are read once, not four times.
        for (; j <= width - 4 * v; j += 4 * v)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int r = 0; r < rows; r++)
            {
                var row = g.Slice(r * width + j, 4 * v);
                s0 += new Vector<float>(row);
                s1 += new Vector<float>(row[v..]);
                s2 += new Vector<float>(row[(2 * v)..]);
                s3 += new Vector<float>(row[(3 * v)..]);
            }
            s0.CopyTo(sums[j..]);
            s1.CopyTo(sums[(j + v)..]);
            s2.CopyTo(sums[(j + 2 * v)..]);
            s3.CopyTo(sums[(j + 3 * v)..]);
        }
        for (; j <= width - v; j += v)
        {
            var sum = Vector<float>.Zero;
            for (int r = 0; r < rows; r++) sum += new Vector<float>(g.Slice(r * width + j));
            sum.CopyTo(sums.Slice(j));
        }
        for (; j < width; j++)
        {
            float sum = 0f;
            for (int r = 0; r < rows; r++) sum += g[r * width + j];
            sums[j] = sum;
        }
    }
}
