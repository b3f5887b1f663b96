using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MLNetNN.Numerics;
using static MLNetNN.Numerics.MatrixMultiply;

namespace MLNetNN.Tests.Numerics;

public class MatrixMultiplyTests
{
    private static readonly int[] Sizes = [1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 32, 33, 47, 48, 64, 97, 100, 129, 224, 225, 255, 300];

    /// <summary>Shapes that cross every edge: partial row panels, partial and narrow column strips, several depth blocks, the one-row path.</summary>
    public static IEnumerable<object[]> Shapes()
    {
        var random = new Random(7);
        // 785, 1600: more than one depth block; m above 288: B packed however small it is.
        var shapes = new List<(int, int, int)> { (1, 1, 1), (1, 784, 256), (2, 10, 128), (100, 100, 784), (784, 100, 100), (100, 784, 100), (7, 600, 450), (20, 1030, 300), (300, 300, 300),
            (13, 40, 785), (300, 40, 1600), (512, 100, 784),
            // The AVX2 path's own edges: a part of fewer than six rows (B packed ahead instead of by the first panel), a last strip
            // of exactly 8 columns, depths that are no multiple of 8 (the panel transposes) or of 4 (the unrolled kernel).
            (5, 24, 9), (6, 8, 3), (12, 24, 17), (7, 40, 801),
            // The AVX2 kernel for 1–4 last columns, twelve rows at a time: over two depth blocks, alone, and with a pair's second
            // panel partial or missing.
            (30, 100, 1600), (11, 4, 9), (7, 2, 801), (24, 36, 5) };
        for (int i = 0; i < 60; i++) shapes.Add((Sizes[random.Next(Sizes.Length)], Sizes[random.Next(Sizes.Length)], Sizes[random.Next(Sizes.Length)]));
        foreach (var (m, n, k) in shapes) yield return [m, n, k];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_layout_matches_a_double_precision_reference(int m, int n, int k)
    {
        var random = new Random(m * 1_000_003 + n * 1009 + k);
        foreach (var transpose in new[] { Transpose.None, Transpose.A, Transpose.B })
        foreach (bool sparse in new[] { false, true })
        {
            // Sparse: four values in five are zero, like image backgrounds and ReLU outputs.
            float[] a = RandomValues(random, m * k, sparse ? 0.8 : 0), b = RandomValues(random, k * n), start = RandomValues(random, m * n);
            foreach (bool accumulate in new[] { false, true })
            {
                float[]? previous = null;
                foreach (int threads in new[] { 1, 2 })
                {
                    var c = (float[])start.Clone();
                    Multiply(a.AsMemory(), b.AsMemory(), c.AsMemory(), m, n, k, transpose, accumulate, threads);
                    AssertClose(Reference(a, b, accumulate ? start : null, null, m, n, k, transpose), Magnitudes(a, b, m, n, k, transpose), c, k, $"{transpose} {m}x{n}x{k} sparse={sparse} accumulate={accumulate} threads={threads}");
                    if (previous is not null) Assert.True(previous.AsSpan().SequenceEqual(c), $"{transpose} {m}x{n}x{k}: 1 and 2 threads differ");
                    previous = c;
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 256, 784)]
    [InlineData(100, 100, 784)]
    [InlineData(13, 10, 33)]
    public void The_fused_bias_starts_every_row(int m, int n, int k)
    {
        var random = new Random(3);
        float[] a = RandomValues(random, m * k), b = RandomValues(random, k * n), bias = RandomValues(random, n);
        var c = RandomValues(random, m * n);
        MatrixMultiply.Multiply(a, b, c, m, n, k, Transpose.None, accumulate: false, threads: 2, bias: bias);
        AssertClose(Reference(a, b, null, bias, m, n, k, Transpose.None), Magnitudes(a, b, m, n, k, Transpose.None), c, k, $"bias {m}x{n}x{k}");
    }

    [Theory]
    [InlineData(1, 100, 784)]
    [InlineData(2, 10, 33)]
    [InlineData(7, 100, 784)]
    [InlineData(100, 100, 784)]
    [InlineData(300, 40, 100)]
    [InlineData(20, 16, 1600)]
    [InlineData(20, 600, 500)]
    public void Rows_read_where_they_lie_give_the_product_of_the_gathered_rows(int m, int n, int k)
    {
        // A shuffled mini-batch: rows scattered over a larger matrix, one of them twice. 20×600×500 has a B too large to read in
        // place and several column blocks, so two threads split its columns and only the first copies rows.
        var random = new Random(m + n + k);
        int stored = 3 * m + 5;
        float[] source = RandomValues(random, stored * k), b = RandomValues(random, k * n), bias = RandomValues(random, n);
        int[] rows = Enumerable.Range(0, m).Select(_ => random.Next(stored)).ToArray();
        if (m > 1) rows[^1] = rows[0];
        var gathered = new float[m * k];
        for (int i = 0; i < m; i++) source.AsSpan(rows[i] * k, k).CopyTo(gathered.AsSpan(i * k));
        foreach (int threads in new[] { 1, 2 })
        {
            var expected = new float[m * n];
            var actual = new float[m * n];
            var copied = new float[m * k];
            MatrixMultiply.Multiply(gathered, b, expected, m, n, k, Transpose.None, accumulate: false, threads, bias);
            MatrixMultiply.Multiply(source, b, actual, m, n, k, Transpose.None, accumulate: false, threads, bias, rows);
            Assert.Equal(expected, actual);
            // Asked to, the product also copies the listed rows out while it reads them.
            Array.Clear(actual);
            MatrixMultiply.Multiply(source, b, actual, m, n, k, Transpose.None, accumulate: false, threads, bias, rows, copied);
            Assert.Equal(expected, actual);
            Assert.Equal(gathered, copied);
        }
    }

    [Theory]
    [InlineData(100, 784)]
    [InlineData(3, 16)]
    [InlineData(33, 40)]
    [InlineData(98, 100)]
    [InlineData(100, 10)]
    public void A_row_alone_gets_the_same_sums_as_in_any_batch(int n, int k)
    {
        // The last n mod 32 columns (when 1–4) are dot products with their own summation order on AVX-512; the one-row path,
        // the tiles, a partial row panel and either thread must all form them alike, or a single prediction would differ from
        // the batch's in the last bits.
        var random = new Random(n * 31 + k);
        const int m = 301;
        float[] a = RandomValues(random, m * k), b = RandomValues(random, k * n), bias = RandomValues(random, n);
        foreach (var transpose in new[] { Transpose.None, Transpose.B })
            foreach (int threads in new[] { 1, 2 })
            {
                var batch = new float[m * n];
                MatrixMultiply.Multiply(a, b, batch, m, n, k, transpose, accumulate: false, threads, bias);
                AssertClose(Reference(a, b, null, bias, m, n, k, transpose), Magnitudes(a, b, m, n, k, transpose), batch, k, $"{transpose} {m}x{n}x{k}");
                foreach (int rows in new[] { 1, 2, 7, 100 })
                    for (int first = 0; first + rows <= m; first += 97)
                    {
                        var part = new float[rows * n];
                        MatrixMultiply.Multiply(a.AsSpan(first * k, rows * k), b, part, rows, n, k, transpose, accumulate: false, threads, bias);
                        Assert.True(part.AsSpan().SequenceEqual(batch.AsSpan(first * n, rows * n)), $"{transpose} n={n} k={k}: rows {first}..+{rows} on {threads} thread(s) differ from the batch");
                    }
            }
    }

    [Fact]
    public void The_kernels_match_the_instruction_sets_the_runtime_offers()
    {
        // test.sh also runs this suite with the runtime told to ignore AVX-512, then AVX2, and names the kernels it expects, so
        // a runtime that stopped reading those settings cannot leave the narrower kernels untested unnoticed.
        string expected = Environment.GetEnvironmentVariable("MLNETNN_EXPECT_KERNELS")
            ?? (Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported && Fma.IsSupported ? "AVX2" : "portable");
        Assert.Equal(expected, MatrixMultiply.Kernels);
    }

    [Fact]
    public void Row_indices_outside_A_or_with_a_transposed_A_are_refused()
    {
        float[] a = new float[4 * 3], b = new float[3 * 2], c = new float[2 * 2];
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => MatrixMultiply.Multiply(a, b, c, 2, 2, 3, Transpose.None, false, 1, default, [1, 4]));
        Assert.Contains("Row index 1 is 4; A holds 4 rows", outside.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MatrixMultiply.Multiply(a, b, c, 2, 2, 3, Transpose.None, false, 1, default, [-1, 0]));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.Multiply(a, b, c, 2, 2, 3, Transpose.None, false, 1, default, [0]));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.Multiply(a, b, c, 2, 2, 3, Transpose.A, false, 1, default, [0, 1]));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.Multiply(a, b, c, 2, 2, 3, Transpose.None, false, 1, default, [0, 1], new float[5]));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.Multiply(a, b, c, 2, 2, 3, Transpose.None, false, 1, default, default, new float[6]));
    }

    [Fact]
    public void Zero_depth_clears_or_keeps_the_result()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Multiply(ReadOnlyMemory<float>.Empty, ReadOnlyMemory<float>.Empty, c, 2, 2, 0, Transpose.None, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Multiply(ReadOnlyMemory<float>.Empty, ReadOnlyMemory<float>.Empty, c, 2, 2, 0, Transpose.B);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void Operands_that_are_too_short_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Multiply(new float[5], new float[6], new float[4], 2, 2, 3, Transpose.None));
        Assert.Throws<ArgumentException>(() => Multiply(new float[6], new float[5], new float[4], 2, 2, 3, Transpose.A));
        Assert.Throws<ArgumentException>(() => Multiply(new float[6], new float[6], new float[3], 2, 2, 3, Transpose.B));
    }

    [Fact]
    public void A_warm_product_allocates_no_object_per_call()
    {
        var random = new Random(5);
        float[] a = RandomValues(random, 100 * 784), b = RandomValues(random, 784 * 100), c = new float[100 * 100];
        for (int i = 0; i < 3; i++) MatrixMultiply.Multiply(a, b, c, 100, 100, 784, Transpose.None, false, threads: 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) MatrixMultiply.Multiply(a, b, c, 100, 100, 784, Transpose.None, false, threads: 2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Below one 24-byte object per call: the runtime may allocate a few kilobytes on a thread now and then on its own.
        Assert.True(allocated < 500 * 24 / 2, $"500 products allocated {allocated} bytes");
    }

    private static float[] RandomValues(Random random, int count, double zeroFraction = 0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() < zeroFraction ? 0f : (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static float OpA(float[] a, int i, int p, int m, int k, Transpose t) => t == Transpose.A ? a[p * m + i] : a[i * k + p];

    private static float OpB(float[] b, int p, int j, int n, int k, Transpose t) => t == Transpose.B ? b[j * k + p] : b[p * n + j];

    private static double[] Reference(float[] a, float[] b, float[]? start, float[]? bias, int m, int n, int k, Transpose t)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = start?[i * n + j] ?? bias?[j] ?? 0;
                for (int p = 0; p < k; p++) sum += (double)OpA(a, i, p, m, k, t) * OpB(b, p, j, n, k, t);
                c[i * n + j] = sum;
            }
        return c;
    }

    private static double[] Magnitudes(float[] a, float[] b, int m, int n, int k, Transpose t)
    {
        var s = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 1;
                for (int p = 0; p < k; p++) sum += Math.Abs((double)OpA(a, i, p, m, k, t) * OpB(b, p, j, n, k, t));
                s[i * n + j] = sum;
            }
        return s;
    }

    /// <summary>Float summation of k terms is off by at most about k·2⁻²⁴ of the sum of magnitudes.</summary>
    private static void AssertClose(double[] expected, double[] magnitude, float[] actual, int k, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = (k + 4) * 6e-8 * magnitude[i];
            if (Math.Abs(actual[i] - expected[i]) > tolerance)
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance:G3})");
        }
    }
}
