using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    /// <summary>
    /// A product's panels are packed without the steps at which all six of their rows are zero when its sampled panels can
    /// skip at least this fraction (1/8) of their steps: listing every step took up to 7 % longer than the packed path (the
    /// list, the tile copied to scattered rows; measured when the list was a pass of its own), so fewer would not repay it.
    /// </summary>
    private const int SkipDenominator = 8;

    /// <summary>Panels sampled, in sorted order, to decide whether a product's rows have zeros enough to skip.</summary>
    private const int SampledPanels = 8;

    /// <summary>Steps of each sampled panel tested for a weight gradient (<see cref="Job.SkipsZeroStepsOfTransposedA"/>), spread over its depth.</summary>
    private const int SampledSteps = 32;

    /// <summary>
    /// Multiply-adds skipped so far because a panel's inputs were all zero, in the products called on this thread (their parts
    /// counted whichever thread ran them): for tests and the benchmark. Counted per calling thread, as products called on other
    /// threads at the same time (test classes run in parallel) must neither raise it nor be told apart from this thread's.
    /// </summary>
    internal static long SkippedMultiplyAdds => t_job?.SkippedMultiplyAdds ?? 0;

    [ThreadStatic] private static long[]? t_rowKeys;
    [ThreadStatic] private static int[]? t_rowOrder;

    private sealed unsafe partial class Job
    {
        private long _skipped;

        /// <summary>Multiply-adds skipped in this job's products so far (<see cref="MatrixMultiply.SkippedMultiplyAdds"/>).</summary>
        public long SkippedMultiplyAdds => Interlocked.Read(ref _skipped);

        /// <summary>
        /// Whether the AVX2 path should take this part's row panels in sorted order and skip their zero steps: a long product
        /// (prediction, over many rows) of rows stored m×k, full strips only, where eight sorted panels, sampled across the
        /// part, can skip at least 1/8 of their first depth block's steps together. Rows of raw pixels are half zeros, but six
        /// unsorted images are all zero at only 16 % of the pixels; six images with the same first and last non-zero pixel
        /// share their blank margins and rows, about 32 % of them.
        /// </summary>
        private bool SkipsZeroSteps(int i0, int i1, int j0, int j1, out int* order)
        {
            order = null;
            if (_transpose != Transpose.None || i1 - i0 <= MaxInPlaceRows || (j1 - j0) % NR != 0 || j1 - j0 < 4 * NR || _k < 64) return false;
            order = RowOrder(i0, i1);
            int panels = (i1 - i0) / MR, kc = DepthBlock(_k), listed = 0;
            int* offsets = stackalloc int[kc];
            float* panel = PackBuffer(MR * kc + PanelOverrun);
            float** rows = stackalloc float*[MR];
            for (int s = 0; s < SampledPanels; s++)
            {
                int first = MR * (int)((long)s * panels / SampledPanels);
                for (int r = 0; r < MR; r++) rows[r] = RowOfA(order[first + r]);
                listed += PackListedPanel(panel, rows, kc, offsets);
            }
            return SkipsEnough(listed, SampledPanels, kc);
        }

        /// <summary>Whether <paramref name="panels"/> panels of <paramref name="kc"/> steps that kept <paramref name="listed"/> of them together skipped at least 1/<see cref="SkipDenominator"/>.</summary>
        private static bool SkipsEnough(long listed, int panels, int kc) => listed <= (long)panels * (kc - kc / SkipDenominator);

        /// <summary>
        /// Rows <paramref name="i0"/>..<paramref name="i1"/> ordered by where their first and last non-zero values lie, so that
        /// rows with the same leading and trailing zeros share panels; in their own order when they have few such zeros (a
        /// ReLU layer's outputs: its units have no order to share), where sorting would gain nothing. Each row's sums are the
        /// same in any order.
        /// </summary>
        private int* RowOrder(int i0, int i1)
        {
            int rows = i1 - i0, k = _k;
            if (t_rowOrder is null || t_rowOrder.Length < rows)
            {
                t_rowKeys = GC.AllocateUninitializedArray<long>(rows, pinned: true);
                t_rowOrder = GC.AllocateUninitializedArray<int>(rows, pinned: true);
            }
            long[] keys = t_rowKeys!;
            int[] order = t_rowOrder;
            long margins = 0;
            for (int r = 0; r < rows; r++)
            {
                float* row = RowOfA(i0 + r);
                int first = FirstNonZero(row, k), last = first == k ? -1 : LastNonZero(row, k);
                margins += first + (k - 1 - last);
                keys[r] = (long)first * ((long)k + 1) + last;
                order[r] = i0 + r;
            }
            if (margins >= (long)rows * k / SkipDenominator) Array.Sort(keys, order, 0, rows);
            return (int*)Unsafe.AsPointer(ref order[0]);
        }

        /// <summary>
        /// C[i0..i1, j0..j1] on the AVX2 path with row panels taken in <paramref name="order"/>: every panel of six rows but the
        /// first of each block of B (which packs B as its kernel reads it, so runs every step) packed with only the steps at
        /// which one of its rows is not zero (<see cref="PackListedPanel"/>), the kernel reading B's packed strip at those steps
        /// (<see cref="ListedStrip"/>). The panel's rows lie apart in C, so each tile is formed in a buffer and copied to its
        /// rows. Every element is still one FMA chain over p in order from its start, without the steps at which its input is
        /// zero: fma(0, w, s) = s for finite w, so the sums are the packed path's (at most the sign of a zero sum differs, as
        /// with <see cref="RowProduct"/>).
        /// </summary>
        private void ListedPanels(int i0, int i1, int j0, int j1, int* order)
        {
            float* c = _c;
            int n = _n, k = _k;
            int kcMax = DepthBlock(k);
            float* packedB = PackBuffer(kcMax * Math.Min(MaxNC, j1 - j0) + MR * kcMax + PanelOverrun);
            float* panel = packedB + kcMax * Math.Min(MaxNC, j1 - j0);
            int* offsets = stackalloc int[kcMax];
            float* tile = stackalloc float[MR * NR];
            new Span<float>(tile, MR * NR).Clear();
            // A last panel of fewer than six rows reads zeros for the others.
            float* zeros = stackalloc float[kcMax];
            new Span<float>(zeros, kcMax).Clear();
            float** rows = stackalloc float*[MR];
            float** rowsOfC = stackalloc float*[MR];
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool loadC = _accumulate || pc > 0;
                for (int jc = j0; jc < j1; jc += MaxNC)
                {
                    int nc = Math.Min(MaxNC, j1 - jc);
                    // Every strip is full: the first panel reads them where they lie in B and packs them on the way, for the others.
                    PackB(packedB, jc, nc, pc, kc, fullStripsElsewhere: true);
                    for (int i = i0; i < i1; i += MR)
                    {
                        int count = Math.Min(MR, i1 - i);
                        for (int r = 0; r < MR; r++)
                        {
                            int row = r < count ? order[i - i0 + r] : -1;
                            rows[r] = row < 0 ? zeros : RowOfA(row) + pc;
                            rowsOfC[r] = row < 0 ? null : c + (long)row * n;
                            if (row >= 0 && jc == 0) GatherRows(row, 1, pc, kc);
                        }
                        // The first panel runs over every step, as it packs B on the way.
                        bool packNow = i == i0;
                        int listed = kc;
                        if (packNow) PackPanel(panel, rows, kc);
                        else
                        {
                            listed = PackListedPanel(panel, rows, kc, offsets);
                            if (listed < kc) Interlocked.Add(ref _skipped, (long)(kc - listed) * count * nc);
                        }
                        float* strip = packedB;
                        for (int j = jc; j < jc + nc; j += NR, strip += kc * NR)
                        {
                            if (loadC)
                                for (int r = 0; r < count; r++) CopyRow(rowsOfC[r] + j, tile + r * NR);
                            float* bias = loadC || _bias is null ? null : _bias + j;
                            if (packNow) Packed6x16(kc, panel, new StripPackedOnTheWay(_b + (long)pc * n + j, n, strip), tile, NR, loadC, bias);
                            else if (listed < kc) Packed6x16(listed, panel, new ListedStrip(strip, offsets), tile, NR, loadC, bias);
                            else Packed6x16(kc, panel, new PackedStrip(strip), tile, NR, loadC, bias);
                            for (int r = 0; r < count; r++) CopyRow(tile + r * NR, rowsOfC[r] + j);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Whether this part of a product with A stored transposed (a weight gradient <c>Xᵀ·G</c>, whose steps are the batch's
        /// rows) should skip the steps at which a panel's six rows of op(A) are all zero. Eight pairs of panels sampled across
        /// the part must together skip at least 1/8 of their steps: six neighbouring pixels of one image are all zero for about 31 % of
        /// Fashion-MNIST's images, six units of a ReLU layer for about 2 %, which stays on the packed path. The part needs 16
        /// panels or more, 4 strips or more, full but for a last one of 1–4 columns (<see cref="ListedColumns12"/>; one of 5–15
        /// keeps the packed path), and 16 steps or more (a few images would hardly repay listing): chosen, not tuned. And B's
        /// columns must be finite: a skipped step adds nothing, as 0·w does only for finite w, and a gradient holding ∞ or NaN
        /// (a diverging run) would otherwise get other values where a part lists than where it packs, so other bits on 1
        /// thread than on 2.
        /// </summary>
        private bool SkipsZeroStepsOfTransposedA(int i0, int i1, int j0, int j1, float* scratch)
        {
            int panels = (i1 - i0) / MR;
            if (_transpose != Transpose.A || panels < 2 * SampledPanels || (j1 - j0) % NR > EdgeWidth || j1 - j0 < 4 * NR || _k < 16) return false;
            // Every few steps of the first depth block, at most 32 a panel: the decision is asked of every product a convolution's
            // weight gradient makes (tens of thousands an epoch, whose patches skip nothing), where testing every step of the
            // sampled panels cost the benchmark's CNN about 3 % of its 1-thread epoch.
            int kc = DepthBlock(_k), every = Math.Max(1, kc / SampledSteps), steps = kc / every, pairs = panels / 2;
            long listed = 0;
            int* offsets0 = stackalloc int[steps], offsets1 = stackalloc int[steps];
            for (int s = 0; s < SampledPanels; s++)
            {
                var (listed0, listed1) = PackListedPairOfTransposedA(scratch, scratch + MR * steps,
                    _a + i0 + 2 * MR * (int)((long)s * pairs / SampledPanels), _m * every, steps, offsets0, offsets1);
                listed += listed0 + listed1;
            }
            return SkipsEnough(listed, 2 * SampledPanels, steps) && ColumnsOfBAreFinite(j0, j1);
        }

        /// <summary>
        /// Whether op(B) (stored k×n) holds only finite values in columns <paramref name="j0"/>..<paramref name="j1"/>: their
        /// rows' sums are then finite, and are not if any value is ∞ or NaN (finite values whose sum overflows also answer no,
        /// which only keeps the packed path).
        /// </summary>
        private bool ColumnsOfBAreFinite(int j0, int j1)
        {
            float sum = 0f;
            for (int p = 0; p < _k; p++) sum += System.Numerics.Tensors.TensorPrimitives.Sum(new ReadOnlySpan<float>(_b + (long)p * _n + j0, j1 - j0));
            return float.IsFinite(sum);
        }
    }

    /// <summary>
    /// Packs twelve consecutive rows of an op(A) stored transposed (<paramref name="column"/>: row 0's value at step 0; step p
    /// lies <paramref name="stride"/> floats on) as two panels of six: each panel gets the steps p &lt; <paramref name="kc"/> at
    /// which any of its six rows is not zero (NaN included), as <c>panel[6g + r]</c>, with <c>offsets[g] = 16·p_g</c>; returns
    /// how many steps each kept. The twelve values of a step lie side by side and are read once for both panels (a pass per
    /// panel took 12.9 % of a 784×100 weight gradient's profile samples, this 11.7 %), and each step is stored whole where
    /// the panel's next kept step goes, so no branch depends on the data. Writes nothing past <c>6·kc</c> of either panel (a
    /// zero last step is stored at <c>6·count</c> and left there), so the pair's second panel may start right after the first.
    /// </summary>
    private static unsafe (int Listed0, int Listed1) PackListedPairOfTransposedA(float* panel0, float* panel1, float* column, int stride, int kc,
        int* offsets0, int* offsets1)
    {
        int count0 = 0, count1 = 0;
        for (int p = 0; p < kc; p++, column += stride)
        {
            Vector256<float> first = Avx.LoadVector256(column);
            Vector128<float> last = Sse.LoadVector128(column + 8), high = first.GetUpper();
            float* to0 = panel0 + MR * count0, to1 = panel1 + MR * count1;
            // Rows 0–3 and 4–5 to the first panel; 6–7 (the high half's upper lanes) and 8–11 to the second.
            Sse.Store(to0, first.GetLower());
            Sse2.StoreScalar((double*)(to0 + 4), high.AsDouble());
            Sse2.StoreHigh((double*)to1, high.AsDouble());
            Sse.Store(to1 + 2, last);
            offsets0[count0] = 16 * p;
            offsets1[count1] = 16 * p;
            // Bits 0–5 are the first panel's rows, 6–11 the second's. A mask OR'd with its negation has the sign bit set unless
            // it is zero, so a step counts without a branch on the data (an image's zero steps come about a third of the time).
            uint bits = Avx.CompareNotEqual(first, Vector256<float>.Zero).ExtractMostSignificantBits()
                | Sse.CompareNotEqual(last, Vector128<float>.Zero).ExtractMostSignificantBits() << 8;
            uint bits0 = bits & 0x3F, bits1 = bits >> 6;
            count0 += (int)((bits0 | (0u - bits0)) >> 31);
            count1 += (int)((bits1 | (0u - bits1)) >> 31);
        }
        return (count0, count1);
    }

    /// <summary>
    /// Packs the six <paramref name="rows"/> at the steps p &lt; <paramref name="kc"/> at which any of them is not zero (NaN
    /// included) as <c>panel[6g + r] = rows[r][p_g]</c>, and writes <c>offsets[g] = 16·p_g</c>, the step's place in a packed
    /// 16-column strip; returns how many steps it kept. One pass over the rows: eight steps at a time are tested and, unless
    /// all six rows are zero there, transposed in registers and each step stored whole (eight floats) where the next kept
    /// step goes, so a zero step is overwritten by the step after it and no branch depends on which of the eight are zero.
    /// Writes up to eight floats past <c>6·count</c>; the offsets' store at p ends by p + 8 ≤ kc, since at most p steps precede it.
    /// </summary>
    private static unsafe int PackListedPanel(float* panel, float** rows, int kc, int* offsets)
    {
        float* r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3], r4 = rows[4], r5 = rows[5];
        var zero = Vector256<float>.Zero;
        int count = 0, p = 0;
        fixed (ulong* positions = RowProduct.SetBitPositions)
        {
            for (; p + 8 <= kc; p += 8)
            {
                Vector256<float> x0 = Avx.LoadVector256(r0 + p), x1 = Avx.LoadVector256(r1 + p), x2 = Avx.LoadVector256(r2 + p);
                Vector256<float> x3 = Avx.LoadVector256(r3 + p), x4 = Avx.LoadVector256(r4 + p), x5 = Avx.LoadVector256(r5 + p);
                uint bits = (Avx.CompareNotEqual(x0, zero) | Avx.CompareNotEqual(x1, zero) | Avx.CompareNotEqual(x2, zero)
                    | Avx.CompareNotEqual(x3, zero) | Avx.CompareNotEqual(x4, zero) | Avx.CompareNotEqual(x5, zero)).ExtractMostSignificantBits();
                // Blank margins come in runs of eight and more, which the branch predicts.
                if (bits == 0) continue;
                var steps = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(positions[bits]).AsByte());
                Avx.Store(offsets + count, Avx2.ShiftLeftLogical(Avx2.Add(steps, Vector256.Create(p)), 4));
                Transpose6x8(x0, x1, x2, x3, x4, x5, panel + MR * count, bits);
                count += System.Numerics.BitOperations.PopCount(bits);
            }
        }
        for (; p < kc; p++)
            if (r0[p] != 0f || r1[p] != 0f || r2[p] != 0f || r3[p] != 0f || r4[p] != 0f || r5[p] != 0f)
            {
                float* to = panel + MR * count;
                (to[0], to[1], to[2], to[3], to[4], to[5]) = (r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]);
                offsets[count++] = p * 16;
            }
        return count;
    }

    /// <summary>The index of the first value of <paramref name="row"/> that is not zero (NaN included), or <paramref name="k"/>.</summary>
    private static unsafe int FirstNonZero(float* row, int k)
    {
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            uint bits = Avx.CompareNotEqual(Avx.LoadVector256(row + p), Vector256<float>.Zero).ExtractMostSignificantBits();
            if (bits != 0) return p + System.Numerics.BitOperations.TrailingZeroCount(bits);
        }
        while (p < k && row[p] == 0f) p++;
        return p;
    }

    /// <summary>The index of the last value of <paramref name="row"/> that is not zero (NaN included), or −1.</summary>
    private static unsafe int LastNonZero(float* row, int k)
    {
        int p = k;
        for (; p >= 8; p -= 8)
        {
            uint bits = Avx.CompareNotEqual(Avx.LoadVector256(row + p - 8), Vector256<float>.Zero).ExtractMostSignificantBits();
            if (bits != 0) return p - 8 + 31 - System.Numerics.BitOperations.LeadingZeroCount(bits);
        }
        while (p > 0 && row[p - 1] == 0f) p--;
        return p - 1;
    }

    /// <summary>Copies one row of a 16-column tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyRow(float* source, float* destination)
    {
        Avx.Store(destination, Avx.LoadVector256(source));
        Avx.Store(destination + 8, Avx.LoadVector256(source + 8));
    }

    /// <summary>A packed strip read at the listed steps: step g's sixteen values at <c>offsets[g]</c> (16p for step p).</summary>
    private unsafe struct ListedStrip(float* values, int* offsets) : IStripOfB
    {
        private readonly float* _values = values;
        private int* _offsets = offsets;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<float> Load(int step, int column) => Avx.LoadVector256(_values + _offsets[step] + column);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Advance(int steps) => _offsets += steps;
    }
}
