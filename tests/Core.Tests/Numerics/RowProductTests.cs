using MLNetNN.Numerics;
using static MLNetNN.Numerics.MatrixMultiply;

namespace MLNetNN.Tests.Numerics;

/// <summary>
/// One or two rows of A (a single prediction) go through <see cref="RowProduct"/> with the AVX2 kernels (the one-row loop with
/// AVX-512, the portable rows elsewhere); they must get the bits the register tiles give the same rows inside a batch of seven,
/// whatever the width (masked columns past the last full register, column blocks of every size, column parts split over threads),
/// whichever inputs are zero (their rows of W are skipped), with a bias, from zero or added to C, and read where they lie.
/// </summary>
public class RowProductTests
{
    private static readonly int[] Widths = [1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 31, 33, 63, 64, 95, 96, 97, 100, 103, 104, 128, 200, 256, 300];

    /// <summary>Depths: one input, a few, one vector register's worth, a layer's, and more than one list of non-zero inputs (1,024).</summary>
    private static readonly int[] Depths = [1, 5, 8, 128, 784, 2100];

    public static IEnumerable<object[]> Shapes() => from n in Widths from k in Depths select new object[] { n, k };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_row_gets_the_bits_the_batch_kernels_give_it(int n, int k)
    {
        var random = new Random(n * 7919 + k);
        float[] w = Values(random, k * n, 0), bias = Values(random, n, 0), start = Values(random, 7 * n, 0);
        foreach (double zeros in new[] { 0, 0.5, 0.95, 1 })
        {
            // Rows 4 and 5 of a batch of seven: the blocked path's register tiles (the reference), then alone and as a pair.
            const int rows = 7, row = 4;
            float[] batch = Values(random, rows * k, zeros);
            if (k > 3) batch[row * k + 3] = -0f;
            foreach (var (withBias, accumulate) in new[] { (true, false), (false, false), (false, true) })
                // Two threads split a long product's single row by columns (n·k ≥ 2 · 2¹⁷ here: n = 256 or 300 with k = 2,100).
                foreach (int threads in new[] { 1, 2 })
                {
                    float[] b = withBias ? bias : [];
                    var inBatch = accumulate ? (float[])start.Clone() : new float[rows * n];
                    Multiply(batch, w, inBatch, rows, n, k, Transpose.None, accumulate, threads, bias: b);
                    foreach (int count in new[] { 1, 2 })
                    {
                        var expected = inBatch.AsSpan(row * n, count * n);
                        var alone = accumulate ? start.AsSpan(row * n, count * n).ToArray() : new float[count * n];
                        Multiply(batch.AsSpan(row * k, count * k), w, alone, count, n, k, Transpose.None, accumulate, threads, bias: b);
                        Assert.True(expected.SequenceEqual(alone), $"{count} row(s) alone, n={n} k={k} zeros={zeros} bias={withBias} accumulate={accumulate} threads={threads}");
                        // The same rows listed where they lie in the batch (a mini-batch's rows read from its data set).
                        var listed = accumulate ? start.AsSpan(row * n, count * n).ToArray() : new float[count * n];
                        Multiply(batch, w, listed, count, n, k, Transpose.None, accumulate, threads, bias: b, aRows: new[] { row, row + 1 }.AsSpan(0, count));
                        Assert.True(expected.SequenceEqual(listed), $"{count} listed row(s), n={n} k={k} zeros={zeros} bias={withBias} accumulate={accumulate} threads={threads}");
                    }
                }
        }
    }

    [Fact]
    public void Nothing_past_the_row_is_written()
    {
        // Columns past the last full register go through a masked register; the sentinels past C's end must survive it.
        var random = new Random(3);
        foreach (int n in new[] { 1, 7, 9, 100, 103 })
        {
            float[] x = Values(random, 784, 0.5), w = Values(random, 784 * n, 0), bias = Values(random, n, 0);
            var z = new float[n + 9];
            z.AsSpan(n).Fill(float.NaN);
            Multiply(x, w, z, 1, n, 784, Transpose.None, accumulate: false, threads: 1, bias: bias);
            Assert.All(z[..n], value => Assert.True(float.IsFinite(value)));
            Assert.All(z[n..], value => Assert.True(float.IsNaN(value)));
        }
    }

    /// <summary>Values in [−1, 1), each zero with probability <paramref name="zeros"/>.</summary>
    private static float[] Values(Random random, int count, double zeros)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() < zeros ? 0f : 2f * random.NextSingle() - 1f;
        return values;
    }
}
