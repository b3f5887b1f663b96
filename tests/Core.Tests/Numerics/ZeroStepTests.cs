using MLNetNN.Numerics;
using static MLNetNN.Numerics.MatrixMultiply;

namespace MLNetNN.Tests.Numerics;

/// <summary>
/// A long product (more than 288 rows, as prediction runs) of rows with many zeros takes its row panels in sorted order and
/// skips the steps at which a panel's six rows are all zero. Each row must get the bits the register tiles give it in a
/// short product (≤ 288 rows, no skipping), whatever its neighbours, with a bias, from zero or added to C, listed where it
/// lies in a data set and gathered, over several depth and column blocks, on one thread or two. SequenceEqual compares
/// values: a zero sum's sign may differ (a skipped step would have added 0·w, turning −0 into +0 for w &gt; 0), as may a NaN's
/// payload; so may any sum of a B with ∞ or NaN (0·∞ is NaN), which no model file holds.
/// </summary>
public class ZeroStepTests
{
    public static IEnumerable<object[]> Shapes() =>
        from shape in new[] { (300, 64, 64), (301, 128, 100), (517, 256, 784), (600, 272, 1000), (289, 528, 200), (450, 80, 785) }
        select new object[] { shape.Item1, shape.Item2, shape.Item3 };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Rows_with_blank_margins_get_the_bits_of_a_short_product(int m, int n, int k)
    {
        if (Kernels != "AVX2") return; // The path is the AVX2 kernels'; the suite runs once more without AVX-512 to reach it.
        var random = new Random(m * 31 + n * 7 + k);
        float[] a = TestData.ImageLikeRows(random, m, k), w = Values(random, k * n, 0), bias = Values(random, n, 0), start = Values(random, m * n, 0);
        // A non-finite input in a row of zeros: NaN and ∞ still reach their row's sums (0·w is 0 only for finite w and inputs).
        a[5 * k + k / 2] = float.NaN;
        a[7 * k + 1] = float.PositiveInfinity;
        int[] listed = Enumerable.Range(0, m).Reverse().ToArray();
        foreach (var (withBias, accumulate) in new[] { (true, false), (false, false), (false, true) })
            foreach (bool byList in new[] { false, true })
            {
                float[] b = withBias ? bias : [];
                var expected = Short(a, w, accumulate ? start : null, b, m, n, k, byList ? listed : null);
                foreach (int threads in new[] { 1, 2 })
                {
                    var c = accumulate ? (float[])start.Clone() : new float[m * n];
                    var gathered = byList ? new float[m * k] : [];
                    long skipped = SkippedMultiplyAdds;
                    Multiply(a, w, c, m, n, k, Transpose.None, accumulate, threads, bias: b, aRows: byList ? listed : default, gatherInto: gathered);
                    // Two threads split the rows, and parts of 288 rows or fewer are short products.
                    if (threads == 1 || m > 2 * 288) Assert.True(SkippedMultiplyAdds > skipped, $"{m}x{n}x{k}: no step was skipped");
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"{m}x{n}x{k} bias={withBias} accumulate={accumulate} listed={byList} threads={threads}");
                    if (byList)
                        for (int r = 0; r < m; r++)
                            Assert.True(a.AsSpan(listed[r] * k, k).SequenceEqual(gathered.AsSpan(r * k, k)), $"gathered row {r}");
                }
            }
    }

    [Theory]
    [InlineData(295, 80, 67)]
    [InlineData(577, 64, 785)]
    [InlineData(601, 528, 1571)]
    public void Hostile_rows_and_starts_get_the_values_of_a_short_product(int m, int n, int k)
    {
        // k past a register (67), two and three depth blocks (785, 1571), two threads splitting rows (577: parts of 288 and
        // 289 rows; 601) or columns (528 × 1571 is a large B); inputs NaN, ±∞, ±1e-40 (subnormal) and −0 among the zeros,
        // blank rows, rows listed twice, and C holding −0, NaN and −∞ to add to. The values must match; the sign of a zero
        // sum may differ, as SequenceEqual allows (a skipped step would have added 0·w, which turns −0 into +0 for w > 0).
        if (Kernels != "AVX2") return;
        var random = new Random(m + n + k);
        float[] a = TestData.ImageLikeRows(random, m, k), w = Values(random, k * n, 0), start = Values(random, m * n, 0);
        for (int t = 0; t < 200; t++)
            a[random.Next(m) * k + random.Next(k)] = (t % 6) switch
            {
                0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, 3 => 1e-40f, 4 => -1e-40f, _ => -0f,
            };
        for (int r = 10; r < 20; r++) Array.Clear(a, r * k, k);
        for (int t = 0; t < 30; t++) start[random.Next(m * n)] = (t % 3) switch { 0 => -0f, 1 => float.NaN, _ => float.NegativeInfinity };
        int[] listed = Enumerable.Range(0, m).Select(_ => random.Next(m)).ToArray();
        foreach (bool accumulate in new[] { false, true })
            foreach (bool byList in new[] { false, true })
            {
                var expected = Short(a, w, accumulate ? start : null, [], m, n, k, byList ? listed : null);
                foreach (int threads in new[] { 1, 2 })
                {
                    var c = accumulate ? (float[])start.Clone() : new float[m * n];
                    var gathered = byList ? new float[m * k] : [];
                    Multiply(a, w, c, m, n, k, Transpose.None, accumulate, threads, aRows: byList ? listed : default, gatherInto: gathered);
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"{m}x{n}x{k} accumulate={accumulate} listed={byList} threads={threads}");
                    if (byList) Assert.True(gathered.AsSpan().SequenceEqual(listed.SelectMany(r => a.AsSpan(r * k, k).ToArray()).ToArray()), "gathered rows");
                }
            }
    }

    [Fact]
    public void Seeded_random_shapes_and_zero_patterns_get_the_values_of_a_short_product()
    {
        // The packer tests eight steps at a time and stores the kept ones without a branch per step, so every pattern of zeros
        // within a group of eight, runs of blank groups, and depths that end mid-group must keep each row's sums. Rows here
        // are runs of zeros and values of random lengths, at a density drawn per product, some rows blank or with margins.
        if (Kernels != "AVX2") return;
        var random = new Random(2026);
        int skippedProducts = 0;
        for (int t = 0; t < 24; t++)
        {
            int m = random.Next(289, 650), n = 16 * random.Next(4, 35), k = random.Next(64, 1700);
            double zeros = 0.3 + 0.65 * random.NextDouble();
            var a = new float[m * k];
            for (int r = 0; r < m; r++)
            {
                if (random.Next(15) == 0) continue;
                int p = random.Next(2) == 0 ? 0 : random.Next(k / 3), end = random.Next(2) == 0 ? k : k - random.Next(k / 3);
                while (p < end)
                {
                    int run = 1 + random.Next(random.Next(2) == 0 ? 4 : 40);
                    bool blank = random.NextDouble() < zeros;
                    for (int q = p; q < Math.Min(end, p + run); q++) a[r * k + q] = blank ? 0f : 2f * random.NextSingle() - 1f;
                    p += run;
                }
            }
            float[] w = Values(random, k * n, 0), start = Values(random, m * n, 0);
            bool accumulate = random.Next(2) == 0, byList = random.Next(2) == 0;
            float[] bias = accumulate || random.Next(2) == 0 ? [] : Values(random, n, 0);
            int[]? listed = byList ? Enumerable.Range(0, m).Select(_ => random.Next(m)).ToArray() : null;
            int threads = 1 + random.Next(2);
            var expected = Short(a, w, accumulate ? start : null, bias, m, n, k, listed);
            var c = accumulate ? (float[])start.Clone() : new float[m * n];
            long skipped = SkippedMultiplyAdds;
            Multiply(a, w, c, m, n, k, Transpose.None, accumulate, threads, bias: bias, aRows: listed);
            if (SkippedMultiplyAdds > skipped) skippedProducts++;
            Assert.True(expected.AsSpan().SequenceEqual(c), $"case {t}: {m}x{n}x{k}, zeros {zeros:F2}, accumulate={accumulate} bias={bias.Length > 0} listed={byList} threads={threads}");
        }
        // Dense draws and 2-thread parts of 288 rows or fewer take the packed path; most cases must have reached this one (21 of 24 do).
        Assert.True(skippedProducts >= 18, $"only {skippedProducts} of 24 products skipped a step");
    }

    [Fact]
    public void Rows_without_zeros_or_a_narrow_product_take_the_packed_path()
    {
        if (Kernels != "AVX2") return;
        var random = new Random(5);
        float[] dense = Values(random, 400 * 784, 0), w = Values(random, 784 * 256, 0);
        long skipped = SkippedMultiplyAdds;
        Multiply(dense, w, new float[400 * 256], 400, 256, 784, Transpose.None, false, 1);
        // Image rows, but 100 columns (no multiple of 16) and 288 rows (a training batch): the packed path, nothing skipped.
        float[] images = TestData.ImageLikeRows(random, 400, 784);
        Multiply(images, w.AsSpan(0, 784 * 100), new float[400 * 100], 400, 100, 784, Transpose.None, false, 1);
        Multiply(images.AsSpan(0, 288 * 784), w, new float[288 * 256], 288, 256, 784, Transpose.None, false, 1);
        Assert.Equal(skipped, SkippedMultiplyAdds);
    }

    [Fact]
    public void Another_threads_skipped_steps_are_not_counted_on_this_one()
    {
        // Test classes run in parallel: a count shared by every thread let another class's long products of images raise it
        // between a test's two readings, failing the packed-path test above, or passing a "something was skipped" check.
        if (Kernels != "AVX2") return;
        var random = new Random(13);
        float[] images = TestData.ImageLikeRows(random, 600, 784), dense = Values(random, 600 * 784, 0), w = Values(random, 784 * 256, 0);
        long skippedThere = 0, before = SkippedMultiplyAdds;
        var other = new Thread(() =>
        {
            long start = SkippedMultiplyAdds;
            Multiply(images, w, new float[600 * 256], 600, 256, 784, Transpose.None, false, 2);
            skippedThere = SkippedMultiplyAdds - start;
        });
        other.Start();
        other.Join();
        Assert.True(skippedThere > 0, "the other thread skipped nothing");
        Assert.Equal(before, SkippedMultiplyAdds);
        // This thread's own products count, whichever thread ran their parts (two parts of 300 rows).
        Multiply(images, w, new float[600 * 256], 600, 256, 784, Transpose.None, false, 2);
        Multiply(dense, w, new float[600 * 256], 600, 256, 784, Transpose.None, false, 2);
        Assert.Equal(before + skippedThere, SkippedMultiplyAdds);
    }

    [Fact]
    public void A_warm_long_product_allocates_nothing()
    {
        if (Kernels != "AVX2") return;
        var random = new Random(9);
        float[] a = TestData.ImageLikeRows(random, 600, 784), w = Values(random, 784 * 256, 0), c = new float[600 * 256];
        Multiply(a, w, c, 600, 256, 784, Transpose.None, false, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) Multiply(a, w, c, 600, 256, 784, Transpose.None, false, 1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The same product in slices of at most 288 rows, which the packed path computes without skipping anything.</summary>
    private static float[] Short(float[] a, float[] w, float[]? start, float[] bias, int m, int n, int k, int[]? listed)
    {
        var c = start is null ? new float[m * n] : (float[])start.Clone();
        for (int first = 0; first < m; first += 288)
        {
            int rows = Math.Min(288, m - first);
            Multiply(listed is null ? a.AsSpan(first * k, rows * k) : a, w, c.AsSpan(first * n, rows * n), rows, n, k, Transpose.None, start is not null, 1,
                bias: bias, aRows: listed is null ? default : listed.AsSpan(first, rows));
        }
        return c;
    }

    private static float[] Values(Random random, int count, double zeros)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() < zeros ? 0f : 2f * random.NextSingle() - 1f;
        return values;
    }
}
