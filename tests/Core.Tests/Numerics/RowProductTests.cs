using MLNetNN.Numerics;
using static MLNetNN.Numerics.MatrixMultiply;

namespace MLNetNN.Tests.Numerics;

/// <summary>
/// The single-row product must give the bits the batch kernels give that row: alone (the one-row path) and inside a batch
/// (the register tiles), whatever the width (masked columns past the last full register, column blocks of every size) and
/// whichever inputs are zero (their rows of W are skipped).
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
        float[] w = Values(random, k * n, 0), bias = Values(random, n, 0);
        foreach (double zeros in new[] { 0, 0.5, 0.95, 1 })
        {
            float[] x = Values(random, k, zeros);
            if (k > 3) x[3] = -0f;
            // The row inside a batch of seven (register tiles) and alone (the one-row path); with and without a bias.
            const int rows = 7, row = 4;
            float[] batch = Values(random, rows * k, zeros);
            x.CopyTo(batch, row * k);
            foreach (bool withBias in new[] { true, false })
            {
                float[] b = withBias ? bias : [];
                var inBatch = new float[rows * n];
                Multiply(batch, w, inBatch, rows, n, k, Transpose.None, accumulate: false, threads: 1, bias: b);
                var alone = new float[n];
                Multiply(x, w, alone, 1, n, k, Transpose.None, accumulate: false, threads: 1, bias: b);
                Assert.Equal(inBatch.AsSpan(row * n, n).ToArray(), alone);
                if (!RowProduct.IsAccelerated)
                {
                    Assert.Throws<PlatformNotSupportedException>(() => RowProduct.Multiply(x, w, b, new float[n], n, k));
                    continue;
                }
                // Sentinels past z's end show nothing is written there.
                var z = new float[n + 9];
                z.AsSpan(n).Fill(float.NaN);
                RowProduct.Multiply(x, w, b, z, n, k);
                Assert.Equal(alone, z[..n]);
                Assert.All(z[n..], value => Assert.True(float.IsNaN(value)));
            }
        }
    }

    [Fact]
    public void Short_operands_are_refused_by_name()
    {
        if (!RowProduct.IsAccelerated) return;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => RowProduct.Multiply(new float[3], new float[40], [], new float[10], 10, 4)).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => RowProduct.Multiply(new float[4], new float[39], [], new float[10], 10, 4)).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => RowProduct.Multiply(new float[4], new float[40], new float[9], new float[10], 10, 4)).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => RowProduct.Multiply(new float[4], new float[40], [], new float[9], 10, 4)).ParamName);
    }

    /// <summary>Values in [−1, 1), each zero with probability <paramref name="zeros"/>.</summary>
    private static float[] Values(Random random, int count, double zeros)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() < zeros ? 0f : 2f * random.NextSingle() - 1f;
        return values;
    }
}
