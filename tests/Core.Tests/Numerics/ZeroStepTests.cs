using MLNetNN.Numerics;
using static MLNetNN.Numerics.MatrixMultiply;

namespace MLNetNN.Tests.Numerics;

/// <summary>
/// A long product (more than 288 rows, as prediction runs) of rows with many zeros takes its row panels in sorted order and
/// skips the steps at which a panel's six rows are all zero; so does a weight gradient of images (A stored transposed, six
/// neighbouring pixels a panel, one image a step), whose tests compare each element with its chain of multiply-adds. Each
/// row must get the bits the register tiles give it in a short product (≤ 288 rows, no skipping), whatever its neighbours,
/// with a bias, from zero or added to C, listed where it lies in a data set and gathered, over several depth and column
/// blocks, on one thread or two. SequenceEqual compares
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
            float[] a = RunsOfZerosAndValues(random, m, k, zeros);
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

    public static IEnumerable<object[]> TransposedShapes() =>
        from shape in new[] { (784, 256, 128), (784, 100, 100), (200, 64, 37), (389, 67, 1000), (1000, 529, 300), (301, 98, 1600), (200, 260, 1009), (96, 64, 16) }
        select new object[] { shape.Item1, shape.Item2, shape.Item3 };

    [Theory]
    [MemberData(nameof(TransposedShapes))]
    public void Weight_gradients_of_images_skip_zero_steps_and_keep_every_sum(int m, int n, int k)
    {
        // Xᵀ·G with X a batch of k images of m pixels: a panel is six neighbouring pixels, a step one image. 16 to 1,600 images
        // (two and three depth blocks: 1000, 1009, 1600), three column blocks (529), 1–4 columns past the last full strip (100,
        // 67, 529, 98, 260) and a block of only those (260 on one thread), columns split over two threads (260 × 1009 is a large
        // B), a last panel of fewer than six rows (200, 389, 301), a part of exactly 16 panels (96), pixels blank in every image
        // (panels that keep no step), inputs NaN, ±∞, ±1e-40 and −0 among the zeros, and C holding −0, NaN and −∞ to add to.
        if (Kernels != "AVX2") return;
        var random = new Random(m * 13 + n * 5 + k);
        float[] x = TestData.ImageLikeRows(random, k, m), g = Values(random, k * n, 0), bias = Values(random, n, 0), start = Values(random, m * n, 0);
        for (int image = 0; image < k; image++) Array.Clear(x, image * m + m / 2, 13);
        for (int t = 0; t < 60; t++)
            x[random.Next(k) * m + random.Next(m)] = (t % 6) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, 3 => 1e-40f, 4 => -1e-40f, _ => -0f };
        for (int t = 0; t < 30; t++) start[random.Next(m * n)] = (t % 3) switch { 0 => -0f, 1 => float.NaN, _ => float.NegativeInfinity };
        foreach (var (withBias, accumulate) in new[] { (true, false), (false, false), (false, true) })
        {
            float[] b = withBias ? bias : [];
            var expected = Chains(x, g, accumulate ? start : null, b, m, n, k);
            foreach (int threads in new[] { 1, 2 })
            {
                var c = accumulate ? (float[])start.Clone() : new float[m * n];
                long skipped = SkippedMultiplyAdds;
                Multiply(x, g, c, m, n, k, Transpose.A, accumulate, threads, bias: b);
                Assert.True(SkippedMultiplyAdds > skipped, $"{m}x{n}x{k} threads={threads}: no step was skipped");
                Assert.True(expected.AsSpan().SequenceEqual(c), $"{m}x{n}x{k} bias={withBias} accumulate={accumulate} threads={threads}");
            }
        }
    }

    [Fact]
    public void Seeded_weight_gradients_with_random_zero_patterns_keep_every_sum()
    {
        // The packer stores every step and moves on only past a kept one, so a zero step at any place (first, last, runs of
        // them, every one) must leave the sums as the chains give them. Images here are runs of zeros and values of random
        // lengths at a density drawn per product, some blank, some with margins.
        if (Kernels != "AVX2") return;
        var random = new Random(1204);
        int skippedProducts = 0;
        for (int t = 0; t < 20; t++)
        {
            int m = random.Next(96, 700), n = 16 * random.Next(4, 20) + random.Next(5), k = random.Next(16, 900);
            double zeros = 0.3 + 0.65 * random.NextDouble();
            float[] x = RunsOfZerosAndValues(random, k, m, zeros);
            float[] g = Values(random, k * n, 0), start = Values(random, m * n, 0);
            bool accumulate = random.Next(2) == 0;
            float[] bias = accumulate || random.Next(2) == 0 ? [] : Values(random, n, 0);
            int threads = 1 + random.Next(2);
            var expected = Chains(x, g, accumulate ? start : null, bias, m, n, k);
            var c = accumulate ? (float[])start.Clone() : new float[m * n];
            long skipped = SkippedMultiplyAdds;
            Multiply(x, g, c, m, n, k, Transpose.A, accumulate, threads, bias: bias);
            if (SkippedMultiplyAdds > skipped) skippedProducts++;
            Assert.True(expected.AsSpan().SequenceEqual(c), $"case {t}: {m}x{n}x{k}, zeros {zeros:F2}, accumulate={accumulate} bias={bias.Length > 0} threads={threads}");
        }
        // Sparse draws of enough panels per part reach the path (16 of 20 do); 2-thread parts under 16 panels and dense draws do not.
        Assert.True(skippedProducts >= 12, $"only {skippedProducts} of 20 products skipped a step");
    }

    [Fact]
    public void Weight_gradients_of_activations_without_shared_zeros_take_the_packed_path()
    {
        // A ReLU layer's outputs are half zeros, but six units of one row are all zero at about 1/64 of the rows: below the 1/8
        // a product must skip, so the packed path runs. So does a product whose last strip has 5–15 columns (104 = 6·16 + 8).
        if (Kernels != "AVX2") return;
        var random = new Random(21);
        float[] activations = Values(random, 128 * 512, 0.5), g = Values(random, 128 * 256, 0), images = TestData.ImageLikeRows(random, 128, 784);
        long skipped = SkippedMultiplyAdds;
        var c = new float[512 * 256];
        Multiply(activations, g, c, 512, 256, 128, Transpose.A, false, 1);
        Assert.True(Chains(activations, g, null, [], 512, 256, 128).AsSpan().SequenceEqual(c));
        Multiply(images, g.AsSpan(0, 128 * 104), new float[784 * 104], 784, 104, 128, Transpose.A, false, 1);
        // Nor do the last 15 images of a batch: too few steps to repay listing.
        Multiply(images, g, new float[784 * 256], 784, 256, 15, Transpose.A, false, 1);
        Assert.Equal(skipped, SkippedMultiplyAdds);
    }

    [Fact]
    public void A_gradient_holding_infinity_or_NaN_gets_the_same_values_on_one_thread_and_two()
    {
        // A skipped step adds nothing, which 0·w does only for finite w. With a diverging run's ∞ in the gradient, pixels zero
        // in that image stayed finite where their pair was listed and turned NaN where a part's first pair (never listed)
        // held them, so other bits on 1 thread than on 2. With such a B every part packs, and each element is its chain.
        if (Kernels != "AVX2") return;
        var random = new Random(7);
        float[] x = TestData.ImageLikeRows(random, 128, 784), g = Values(random, 128 * 100, 0);
        Array.Clear(x, 5 * 784 + 390, 12);
        g[5 * 100 + 3] = float.PositiveInfinity;
        g[9 * 100 + 50] = float.NaN;
        var expected = Chains(x, g, null, [], 784, 100, 128);
        foreach (int threads in new[] { 1, 2 })
        {
            var c = new float[784 * 100];
            long skipped = SkippedMultiplyAdds;
            Multiply(x, g, c, 784, 100, 128, Transpose.A, false, threads);
            Assert.Equal(skipped, SkippedMultiplyAdds);
            Assert.True(expected.AsSpan().SequenceEqual(c), $"threads={threads}");
        }
    }

    /// <summary>
    /// <c>C = start + Aᵀ·B</c> (A stored k×m) with each element one fused multiply-add chain over p in order, from C, the bias or
    /// zero: the sums the register tiles form, here written out one element at a time.
    /// </summary>
    private static float[] Chains(float[] a, float[] b, float[]? start, float[] bias, int m, int n, int k)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = start is not null ? start[i * n + j] : bias.Length > 0 ? bias[j] : 0f;
                for (int p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(a[p * m + i], b[p * n + j], sum);
                c[i * n + j] = sum;
            }
        return c;
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

    /// <summary>
    /// <paramref name="rows"/> rows of runs of zeros and of values, of random lengths (1–4 or 1–40), a run blank with
    /// probability <paramref name="zeros"/>; one row in 15 is blank, and half start or end with a margin of up to a third.
    /// </summary>
    private static float[] RunsOfZerosAndValues(Random random, int rows, int columns, double zeros)
    {
        var values = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            if (random.Next(15) == 0) continue;
            int p = random.Next(2) == 0 ? 0 : random.Next(columns / 3), end = random.Next(2) == 0 ? columns : columns - random.Next(columns / 3);
            while (p < end)
            {
                int run = 1 + random.Next(random.Next(2) == 0 ? 4 : 40);
                bool blank = random.NextDouble() < zeros;
                for (int q = p; q < Math.Min(end, p + run); q++) values[r * columns + q] = blank ? 0f : 2f * random.NextSingle() - 1f;
                p += run;
            }
        }
        return values;
    }

    private static float[] Values(Random random, int count, double zeros)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() < zeros ? 0f : 2f * random.NextSingle() - 1f;
        return values;
    }
}
