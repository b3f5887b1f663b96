using System.Numerics;

namespace MLNetNN.Numerics;

/// <summary>
/// The sums of a row-major matrix's columns, <c>sums[j] = Σ_r g[r·width + j]</c>, rows added in order: the bias gradient of a
/// dense or convolutional layer.
/// </summary>
internal static class ColumnSums
{
    /// <summary>
    /// <c>sums[j] = Σ_r g[r·width + j]</c> for <c>j &lt; width</c>, over <paramref name="rows"/> rows: a register's worth of
    /// columns at a time down all rows, where a <see cref="System.Numerics.Tensors.TensorPrimitives"/> call per row cost more
    /// than its additions for a 10-unit layer.
    /// </summary>
    public static void Of(ReadOnlySpan<float> g, int rows, int width, Span<float> sums)
    {
        if (g.Length < (long)rows * width) throw new ArgumentException($"{rows} rows of {width} need {(long)rows * width} values; got {g.Length}.", nameof(g));
        if (sums.Length < width) throw new ArgumentException($"{width} sums need room for {width}; got {sums.Length}.", nameof(sums));
        int j = 0;
        for (; j <= width - Vector<float>.Count; j += Vector<float>.Count)
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
