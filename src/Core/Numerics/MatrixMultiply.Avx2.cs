using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    /// <summary>Floats past a packed panel of A that the packers may write: two for a transpose of eight steps, eight for one that leaves out its last (<see cref="Transpose6x8"/>).</summary>
    private const int PanelOverrun = 8;

    private sealed unsafe partial class Job
    {
        /// <summary>
        /// C[i0..i1, j0..j1] on the AVX2 path: op(B) packed into strips, each panel of six rows of op(A) packed beside it, so the
        /// micro-kernel reads both operands from consecutive addresses. Panels go in pairs, so the 1–4 columns of a last strip
        /// (n = 100's last 4) run twelve rows at once (<see cref="Columns12"/>). A weight gradient of images (A stored transposed,
        /// six neighbouring pixels a panel, one image a step) packs each pair but the first with only the steps at which one of
        /// its rows is not zero, when a sample finds enough of them (<see cref="SkipsZeroStepsOfTransposedA"/>): a third of
        /// Fashion-MNIST's.
        /// </summary>
        private void PackedBlocked(int i0, int i1, int j0, int j1)
        {
            float* c = _c;
            int n = _n, k = _k;
            // The same blocks as the AVX-512 path (MaxKC, MaxNC), measured here too: depth blocks of 128, 256 or 400 and column
            // blocks of 128 or 512 were 0–12 % slower (a 6×784 panel of A and a 784×16 strip of B stream from L2 fast enough).
            int kcMax = DepthBlock(k);
            int ncMax = Math.Min(MaxNC, RoundUp(j1 - j0, NR));
            float* packedB = PackBuffer(kcMax * ncMax + 2 * MR * kcMax + PanelOverrun);
            float* panels = packedB + kcMax * ncMax;
            float* tile = stackalloc float[MR * NR];
            float* tileBias = stackalloc float[NR];
            nint* panelOffsets = stackalloc nint[MR - 1];
            for (int r = 1; r < MR; r++) panelOffsets[r - 1] = r;
            bool prefetchA = _transpose == Transpose.None && (_aRows is not null || _m > MaxInPlaceRows);
            bool listSteps = SkipsZeroStepsOfTransposedA(i0, i1, j0, j1, panels);
            int* offsets0 = stackalloc int[listSteps ? kcMax : 0], offsets1 = stackalloc int[listSteps ? kcMax : 0];
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool loadC = _accumulate || pc > 0;
                for (int jc = j0; jc < j1; jc += MaxNC)
                {
                    int nc = Math.Min(MaxNC, j1 - jc);
                    bool packOnTheWay = _transpose != Transpose.B && i1 - i0 >= MR;
                    PackB(packedB, jc, nc, pc, kc, packOnTheWay);
                    for (int i = i0; i < i1; i += 2 * MR)
                    {
                        // Two panels, the second (when there is one) right after the first, which it overwrites the overrun of.
                        int rows = Math.Min(2 * MR, i1 - i), rows0 = Math.Min(MR, rows);
                        float* second = panels + MR * kc;
                        // Every pair of full panels but the first of a block (whose first panel packs B as it reads it) runs only
                        // over the steps at which one of its six rows is not zero.
                        if (listSteps && i > i0 && rows == 2 * MR)
                        {
                            var (listed0, listed1) = PackListedPairOfTransposedA(panels, second, _a + (long)pc * _m + i, _m, kc, offsets0, offsets1);
                            if (listed0 + listed1 < 2 * kc) Interlocked.Add(ref _skipped, (long)(2 * kc - listed0 - listed1) * MR * nc);
                            float* listedStrip = packedB;
                            for (int j = jc; j < jc + nc; j += NR)
                            {
                                int cols = Math.Min(NR, jc + nc - j);
                                float* ct = c + (long)i * n + j;
                                float* bias = loadC || _bias is null ? null : _bias + j;
                                if (cols == NR)
                                {
                                    Packed6x16(listed0, panels, new ListedStrip(listedStrip, offsets0), ct, n, loadC, bias);
                                    Packed6x16(listed1, second, new ListedStrip(listedStrip, offsets1), ct + MR * n, n, loadC, bias);
                                }
                                else ListedColumns12(panels, listed0, offsets0, second, listed1, offsets1, listedStrip, ct, n, cols, loadC, bias);
                                listedStrip += kc * StripWidth(cols);
                            }
                            continue;
                        }
                        // Rows of A that come from main memory (listed from a data set, or a long product) are asked for a pair ahead.
                        bool prefetch = prefetchA && i + 4 * MR <= i1;
                        PackPanelOfA(panels, i, rows0, pc, kc, prefetch ? i + 2 * MR : -1);
                        if (rows > MR) PackPanelOfA(second, i + MR, rows - MR, pc, kc, prefetch ? i + 3 * MR : -1);
                        if (jc == 0) GatherRows(i, rows, pc, kc);
                        float* strip = packedB;
                        for (int j = jc; j < jc + nc; j += NR)
                        {
                            int cols = Math.Min(NR, jc + nc - j);
                            int width = StripWidth(cols);
                            float* ct = c + (long)i * n + j;
                            float* bias = loadC || _bias is null ? null : _bias + j;
                            // The first panel reads a full strip where it lies and packs it on the way; the others find it packed.
                            bool packNow = packOnTheWay && i == i0 && cols == width;
                            if (cols <= EdgeWidth)
                                Columns12(kc, panels, strip, ct, n, rows, cols, loadC, bias);
                            else
                            {
                                StripOfPanel(kc, panels, rows0, strip, width, cols, packNow, pc, j, ct, loadC, bias, panelOffsets, tile, tileBias);
                                if (rows > MR)
                                    StripOfPanel(kc, second, rows - MR, strip, width, cols, false, pc, j, ct + MR * n, loadC, bias, panelOffsets, tile, tileBias);
                            }
                            strip += kc * width;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// C[rows, cols] of one packed panel and one strip (<paramref name="packNow"/>: a full strip read where it lies in B and
        /// packed on the way); a partial tile runs the same kernel on a copy, so its sums are formed exactly like a full tile's.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StripOfPanel(int kc, float* panel, int rows, float* strip, int width, int cols, bool packNow, int pc, int j, float* ct,
            bool loadC, float* bias, nint* panelOffsets, float* tile, float* tileBias)
        {
            int n = _n;
            if (packNow)
            {
                if (width == NR) Packed6x16(kc, panel, new StripPackedOnTheWay(_b + (long)pc * n + j, n, strip), ct, n, loadC, bias);
                else
                {
                    PackB(strip, j, cols, pc, kc, fullStripsElsewhere: false);
                    PackedKernel(width, kc, panel, panelOffsets, strip, ct, n, loadC, bias);
                }
            }
            else if (rows == MR && cols == width) PackedKernel(width, kc, panel, panelOffsets, strip, ct, n, loadC, bias);
            else
            {
                if (loadC) CopyBlock(ct, n, tile, width, rows, cols);
                else if (bias is not null)
                {
                    // The kernel reads a whole register of bias; past the last column it must read padding, not beyond b.
                    CopyBlock(bias, 0, tileBias, 0, 1, cols);
                    bias = tileBias;
                }
                PackedKernel(width, kc, panel, panelOffsets, strip, tile, width, loadC, bias);
                CopyBlock(tile, width, ct, n, rows, cols);
            }
        }

        /// <summary>
        /// Packs op(A)[i..i+rows, pc..pc+kc] as <c>panel[p·MR + r]</c>, zero-padding missing rows; writes up to two floats past
        /// <c>MR·kc</c>. With <paramref name="prefetchRow"/> ≥ 0 (A stored m×k), it also asks for rows prefetchRow..+5 a cache line at
        /// a time as it goes, so a later panel's rows are on their way from memory while this pair's products run.
        /// </summary>
        private void PackPanelOfA(float* panel, int i, int rows, int pc, int kc, int prefetchRow)
        {
            if (rows < MR)
            {
                PackEdgeA(panel, i, rows, pc, kc);
                return;
            }
            if (_transpose == Transpose.A)
            {
                float* src = _a + (long)pc * _m + i;
                for (int p = 0; p < kc; p++, src += _m, panel += MR)
                {
                    Sse.Store(panel, Sse.LoadVector128(src));
                    *(long*)(panel + 4) = *(long*)(src + 4);
                }
                return;
            }
            float** rowsOfPanel = stackalloc float*[MR], ahead = stackalloc float*[MR];
            for (int r = 0; r < MR; r++)
            {
                rowsOfPanel[r] = RowOfA(i + r) + pc;
                if (prefetchRow >= 0) ahead[r] = RowOfA(prefetchRow + r) + pc;
            }
            PackPanel(panel, rowsOfPanel, kc, prefetchRow >= 0 ? ahead : null);
        }
    }

    /// <summary>
    /// Packs six rows of <paramref name="kc"/> values as <c>panel[p·6 + r]</c>; writes up to two floats past <c>6·kc</c>. With
    /// <paramref name="ahead"/>, it also asks for the six rows there a cache line at a time as it goes.
    /// </summary>
    private static unsafe void PackPanel(float* panel, float** rows, int kc, float** ahead = null)
    {
        float* r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3], r4 = rows[4], r5 = rows[5];
        int q = 0;
        for (; q + 8 <= kc; q += 8, panel += 8 * MR)
        {
            if (ahead is not null && (q & 8) == 0)
                for (int r = 0; r < MR; r++) Sse.Prefetch0(ahead[r] + q);
            Transpose6x8(Avx.LoadVector256(r0 + q), Avx.LoadVector256(r1 + q), Avx.LoadVector256(r2 + q),
                Avx.LoadVector256(r3 + q), Avx.LoadVector256(r4 + q), Avx.LoadVector256(r5 + q), panel);
        }
        for (; q < kc; q++, panel += MR)
            (panel[0], panel[1], panel[2], panel[3], panel[4], panel[5]) = (r0[q], r1[q], r2[q], r3[q], r4[q], r5[q]);
    }

    /// <summary>
    /// <c>dst[t·6 + r] = row_r[t]</c> for six rows of eight values: an 8×8 transpose with two empty rows, each output row
    /// stored whole at <c>dst + 6t</c>, so its last two values are overwritten by the next (the last writes two floats past 48).
    /// With <paramref name="keep"/>, only the steps t whose bit is set advance <paramref name="dst"/>, so the kept steps lie one
    /// after another and a step left out is overwritten by the next (up to eight floats past the last kept step are written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose6x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, float* dst, uint keep = 0xFF)
    {
        var zero = Vector256<float>.Zero;
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, zero, 0x44), u5 = Avx.Shuffle(t4, zero, 0xEE), u6 = Avx.Shuffle(t5, zero, 0x44), u7 = Avx.Shuffle(t5, zero, 0xEE);
        // Each step is stored from its register: a packer that stored all eight and copied the kept ones would reload values
        // split over two overlapping stores, which the processor cannot forward.
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20)); dst += MR * (int)(keep & 1);
        Avx.Store(dst, Avx.Permute2x128(u1, u5, 0x20)); dst += MR * (int)(keep >> 1 & 1);
        Avx.Store(dst, Avx.Permute2x128(u2, u6, 0x20)); dst += MR * (int)(keep >> 2 & 1);
        Avx.Store(dst, Avx.Permute2x128(u3, u7, 0x20)); dst += MR * (int)(keep >> 3 & 1);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x31)); dst += MR * (int)(keep >> 4 & 1);
        Avx.Store(dst, Avx.Permute2x128(u1, u5, 0x31)); dst += MR * (int)(keep >> 5 & 1);
        Avx.Store(dst, Avx.Permute2x128(u2, u6, 0x31)); dst += MR * (int)(keep >> 6 & 1);
        Avx.Store(dst, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// The kernel for a packed panel of A and a packed strip of <paramref name="width"/> columns: <see cref="Packed6x16{TStrip}"/>, or
    /// for a last strip of at most 8 columns the AVX-512 path's 8-wide kernel, told that the panel's rows lie one float apart
    /// (<paramref name="panelOffsets"/>: 1..5) and step by six.
    /// </summary>
    private static unsafe void PackedKernel(int width, int kc, float* a, nint* panelOffsets, float* b, float* c, nint ldc, bool loadC, float* bias)
    {
        if (width == 16) Packed6x16(kc, a, new PackedStrip(b), c, ldc, loadC, bias);
        else Kernel256x1(kc, a, panelOffsets, MR, b, width, c, ldc, loadC, bias);
    }

    /// <summary>Where a 16-column micro-kernel reads its strip of op(B), one step of p at a time.</summary>
    private interface IStripOfB
    {
        /// <summary>Eight values of step <paramref name="step"/> (0–3 past the current one), from column <paramref name="column"/> (0 or 8).</summary>
        Vector256<float> Load(int step, int column);

        /// <summary>Moves on by <paramref name="steps"/> steps of p.</summary>
        void Advance(int steps);
    }

    /// <summary>A strip packed before: step p's sixteen values at <c>16p</c>.</summary>
    private unsafe struct PackedStrip(float* values) : IStripOfB
    {
        private float* _values = values;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<float> Load(int step, int column) => Avx.LoadVector256(_values + 16 * step + column);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Advance(int steps) => _values += 16 * steps;
    }

    /// <summary>
    /// A strip read where it lies in a B stored k×n (step p at <c>p·stride</c>) and packed as it is read, so the panels after the
    /// first find it packed without a separate pass over B.
    /// </summary>
    private unsafe struct StripPackedOnTheWay(float* source, nint stride, float* packed) : IStripOfB
    {
        private float* _source = source, _packed = packed;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector256<float> Load(int step, int column)
        {
            var values = Avx.LoadVector256(_source + step * stride + column);
            Avx.Store(_packed + 16 * step + column, values);
            return values;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Advance(int steps)
        {
            _source += steps * stride;
            _packed += 16 * steps;
        }
    }

    /// <summary>
    /// <c>C[0..6, 0..16] = (loadC ? C : bias or 0) + Σ_p a[6p + r] · op(B)[p, j]</c>, A packed, B as <paramref name="strip"/> gives it:
    /// twelve accumulators, four steps of p per pass of the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Packed6x16<TStrip>(int kc, float* a, TStrip strip, float* c, nint ldc, bool loadC, float* bias) where TStrip : struct, IStripOfB
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector256<float> x00, x01, x10, x11, x20, x21, x30, x31, x40, x41, x50, x51;
        if (loadC)
        {
            x00 = Avx.LoadVector256(c0); x01 = Avx.LoadVector256(c0 + 8);
            x10 = Avx.LoadVector256(c1); x11 = Avx.LoadVector256(c1 + 8);
            x20 = Avx.LoadVector256(c2); x21 = Avx.LoadVector256(c2 + 8);
            x30 = Avx.LoadVector256(c3); x31 = Avx.LoadVector256(c3 + 8);
            x40 = Avx.LoadVector256(c4); x41 = Avx.LoadVector256(c4 + 8);
            x50 = Avx.LoadVector256(c5); x51 = Avx.LoadVector256(c5 + 8);
        }
        else
        {
            x00 = x10 = x20 = x30 = x40 = x50 = bias is null ? Vector256<float>.Zero : Avx.LoadVector256(bias);
            x01 = x11 = x21 = x31 = x41 = x51 = bias is null ? Vector256<float>.Zero : Avx.LoadVector256(bias + 8);
        }
        Vector256<float> b0, b1, s;
        for (float* end4 = a + (nint)(kc & ~3) * MR; a < end4; a += 4 * MR)
        {
            b0 = strip.Load(0, 0); b1 = strip.Load(0, 8);
            s = Vector256.Create(a[0]); x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01);
            s = Vector256.Create(a[1]); x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11);
            s = Vector256.Create(a[2]); x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21);
            s = Vector256.Create(a[3]); x30 = Fma.MultiplyAdd(s, b0, x30); x31 = Fma.MultiplyAdd(s, b1, x31);
            s = Vector256.Create(a[4]); x40 = Fma.MultiplyAdd(s, b0, x40); x41 = Fma.MultiplyAdd(s, b1, x41);
            s = Vector256.Create(a[5]); x50 = Fma.MultiplyAdd(s, b0, x50); x51 = Fma.MultiplyAdd(s, b1, x51);
            b0 = strip.Load(1, 0); b1 = strip.Load(1, 8);
            s = Vector256.Create(a[6]); x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01);
            s = Vector256.Create(a[7]); x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11);
            s = Vector256.Create(a[8]); x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21);
            s = Vector256.Create(a[9]); x30 = Fma.MultiplyAdd(s, b0, x30); x31 = Fma.MultiplyAdd(s, b1, x31);
            s = Vector256.Create(a[10]); x40 = Fma.MultiplyAdd(s, b0, x40); x41 = Fma.MultiplyAdd(s, b1, x41);
            s = Vector256.Create(a[11]); x50 = Fma.MultiplyAdd(s, b0, x50); x51 = Fma.MultiplyAdd(s, b1, x51);
            b0 = strip.Load(2, 0); b1 = strip.Load(2, 8);
            s = Vector256.Create(a[12]); x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01);
            s = Vector256.Create(a[13]); x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11);
            s = Vector256.Create(a[14]); x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21);
            s = Vector256.Create(a[15]); x30 = Fma.MultiplyAdd(s, b0, x30); x31 = Fma.MultiplyAdd(s, b1, x31);
            s = Vector256.Create(a[16]); x40 = Fma.MultiplyAdd(s, b0, x40); x41 = Fma.MultiplyAdd(s, b1, x41);
            s = Vector256.Create(a[17]); x50 = Fma.MultiplyAdd(s, b0, x50); x51 = Fma.MultiplyAdd(s, b1, x51);
            b0 = strip.Load(3, 0); b1 = strip.Load(3, 8);
            s = Vector256.Create(a[18]); x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01);
            s = Vector256.Create(a[19]); x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11);
            s = Vector256.Create(a[20]); x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21);
            s = Vector256.Create(a[21]); x30 = Fma.MultiplyAdd(s, b0, x30); x31 = Fma.MultiplyAdd(s, b1, x31);
            s = Vector256.Create(a[22]); x40 = Fma.MultiplyAdd(s, b0, x40); x41 = Fma.MultiplyAdd(s, b1, x41);
            s = Vector256.Create(a[23]); x50 = Fma.MultiplyAdd(s, b0, x50); x51 = Fma.MultiplyAdd(s, b1, x51);
            strip.Advance(4);
        }
        for (float* end = a + (nint)(kc & 3) * MR; a < end; a += MR)
        {
            b0 = strip.Load(0, 0); b1 = strip.Load(0, 8);
            s = Vector256.Create(a[0]); x00 = Fma.MultiplyAdd(s, b0, x00); x01 = Fma.MultiplyAdd(s, b1, x01);
            s = Vector256.Create(a[1]); x10 = Fma.MultiplyAdd(s, b0, x10); x11 = Fma.MultiplyAdd(s, b1, x11);
            s = Vector256.Create(a[2]); x20 = Fma.MultiplyAdd(s, b0, x20); x21 = Fma.MultiplyAdd(s, b1, x21);
            s = Vector256.Create(a[3]); x30 = Fma.MultiplyAdd(s, b0, x30); x31 = Fma.MultiplyAdd(s, b1, x31);
            s = Vector256.Create(a[4]); x40 = Fma.MultiplyAdd(s, b0, x40); x41 = Fma.MultiplyAdd(s, b1, x41);
            s = Vector256.Create(a[5]); x50 = Fma.MultiplyAdd(s, b0, x50); x51 = Fma.MultiplyAdd(s, b1, x51);
            strip.Advance(1);
        }
        Avx.Store(c0, x00); Avx.Store(c0 + 8, x01);
        Avx.Store(c1, x10); Avx.Store(c1 + 8, x11);
        Avx.Store(c2, x20); Avx.Store(c2 + 8, x21);
        Avx.Store(c3, x30); Avx.Store(c3 + 8, x31);
        Avx.Store(c4, x40); Avx.Store(c4 + 8, x41);
        Avx.Store(c5, x50); Avx.Store(c5 + 8, x51);
    }

    /// <summary>
    /// The first <paramref name="rows"/> (≤ 12) rows and <paramref name="cols"/> (≤ 4) columns of <c>C = (loadC ? C : bias or 0) + A·B</c>
    /// for two packed panels (rows 0–5 at <c>a</c>, 6–11 at <c>a + 6·kc</c>) and a strip packed 8 wide, its first columns used:
    /// an accumulator per column and panel, its lanes the panel's rows (read eight at a time from the panel's step p, the last two
    /// lanes unused), multiplied by a broadcast of one value of B. n = 100's last 4 columns in row-wise registers took 8 lanes of
    /// FMAs for 4 columns and a broadcast of A per row; here 6 of 8 lanes work and 4 broadcasts serve 12 rows. Each element is
    /// still one FMA chain over p from its start, as in every other kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Columns12(int kc, float* a, float* b, float* c, nint ldc, int rows, int cols, bool loadC, float* bias)
    {
        float* start = stackalloc float[64];
        EdgeStarts(start, c, ldc, rows, cols, loadC, bias);
        Vector256<float> x0 = Avx.LoadVector256(start), x1 = Avx.LoadVector256(start + 8), x2 = Avx.LoadVector256(start + 16), x3 = Avx.LoadVector256(start + 24);
        Vector256<float> y0 = Avx.LoadVector256(start + 32), y1 = Avx.LoadVector256(start + 40), y2 = Avx.LoadVector256(start + 48), y3 = Avx.LoadVector256(start + 56);
        float* a1 = a + MR * (nint)kc;
        for (float* end = b + 8 * (nint)kc; b < end; b += 8, a += MR, a1 += MR)
        {
            Vector256<float> p0 = Avx.LoadVector256(a), p1 = Avx.LoadVector256(a1), s;
            s = Vector256.Create(b[0]); x0 = Fma.MultiplyAdd(p0, s, x0); y0 = Fma.MultiplyAdd(p1, s, y0);
            s = Vector256.Create(b[1]); x1 = Fma.MultiplyAdd(p0, s, x1); y1 = Fma.MultiplyAdd(p1, s, y1);
            s = Vector256.Create(b[2]); x2 = Fma.MultiplyAdd(p0, s, x2); y2 = Fma.MultiplyAdd(p1, s, y2);
            s = Vector256.Create(b[3]); x3 = Fma.MultiplyAdd(p0, s, x3); y3 = Fma.MultiplyAdd(p1, s, y3);
        }
        Avx.Store(start, x0); Avx.Store(start + 8, x1); Avx.Store(start + 16, x2); Avx.Store(start + 24, x3);
        Avx.Store(start + 32, y0); Avx.Store(start + 40, y1); Avx.Store(start + 48, y2); Avx.Store(start + 56, y3);
        EdgeStore(start, c, ldc, rows, cols);
    }

    /// <summary>
    /// The first values of <see cref="Columns12"/>'s accumulators, laid out as they are loaded (<c>start[8·(4·panel + j) + r]</c>,
    /// also where they are stored): from C, the bias or zero within the first <paramref name="rows"/> rows and
    /// <paramref name="cols"/> columns. Outside them the accumulators are never stored, so they start from zero or the bias.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void EdgeStarts(float* start, float* c, nint ldc, int rows, int cols, bool loadC, float* bias)
    {
        if (!loadC)
        {
            // Every row of column j starts from bias[j] (or zero): a register each, the rows past the tile never stored.
            for (int q = 0; q < 2 * EdgeWidth; q++)
                Avx.Store(start + 8 * q, Vector256.Create(q % EdgeWidth < cols && bias is not null ? bias[q % EdgeWidth] : 0f));
            return;
        }
        for (int q = 0; q < 2 * EdgeWidth; q++)
        {
            int j = q % EdgeWidth, panel = q / EdgeWidth;
            for (int r = 0; r < MR; r++)
            {
                int row = panel * MR + r;
                start[8 * q + r] = j >= cols || row >= rows ? 0f : c[row * ldc + j];
            }
        }
    }

    /// <summary>Copies the first <paramref name="rows"/> rows and <paramref name="cols"/> columns of accumulators laid out as <see cref="EdgeStarts"/> says into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void EdgeStore(float* start, float* c, nint ldc, int rows, int cols)
    {
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < cols; j++) c[row * ldc + j] = start[8 * (EdgeWidth * (row / MR) + j) + row % MR];
    }

    /// <summary>
    /// <see cref="Columns12"/> for two panels packed with their kept steps only (<see cref="PackListedPairOfTransposedA"/>):
    /// panel 0 (rows 0–5) runs over its <paramref name="listed0"/> steps, panel 1 (rows 6–11) over its own, each step's values
    /// of B read at <c>offsets[g] / 2</c> in the strip packed 8 wide (the offsets count 16 per step). A loop pass takes the next
    /// step of each panel, so eight chains run at once while both have steps left. Each element is one FMA chain over its
    /// panel's kept steps in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ListedColumns12(float* a0, int listed0, int* offsets0, float* a1, int listed1, int* offsets1, float* b, float* c, nint ldc,
        int cols, bool loadC, float* bias)
    {
        float* start = stackalloc float[64];
        EdgeStarts(start, c, ldc, 2 * MR, cols, loadC, bias);
        Vector256<float> x0 = Avx.LoadVector256(start), x1 = Avx.LoadVector256(start + 8), x2 = Avx.LoadVector256(start + 16), x3 = Avx.LoadVector256(start + 24);
        Vector256<float> y0 = Avx.LoadVector256(start + 32), y1 = Avx.LoadVector256(start + 40), y2 = Avx.LoadVector256(start + 48), y3 = Avx.LoadVector256(start + 56);
        int g = 0;
        for (int both = Math.Min(listed0, listed1); g < both; g++)
        {
            float* b0 = b + (offsets0[g] >> 1), b1 = b + (offsets1[g] >> 1);
            Vector256<float> p0 = Avx.LoadVector256(a0 + MR * g), p1 = Avx.LoadVector256(a1 + MR * g);
            x0 = Fma.MultiplyAdd(p0, Vector256.Create(b0[0]), x0); y0 = Fma.MultiplyAdd(p1, Vector256.Create(b1[0]), y0);
            x1 = Fma.MultiplyAdd(p0, Vector256.Create(b0[1]), x1); y1 = Fma.MultiplyAdd(p1, Vector256.Create(b1[1]), y1);
            x2 = Fma.MultiplyAdd(p0, Vector256.Create(b0[2]), x2); y2 = Fma.MultiplyAdd(p1, Vector256.Create(b1[2]), y2);
            x3 = Fma.MultiplyAdd(p0, Vector256.Create(b0[3]), x3); y3 = Fma.MultiplyAdd(p1, Vector256.Create(b1[3]), y3);
        }
        for (int g0 = g; g0 < listed0; g0++)
        {
            float* b0 = b + (offsets0[g0] >> 1);
            Vector256<float> p0 = Avx.LoadVector256(a0 + MR * g0);
            x0 = Fma.MultiplyAdd(p0, Vector256.Create(b0[0]), x0); x1 = Fma.MultiplyAdd(p0, Vector256.Create(b0[1]), x1);
            x2 = Fma.MultiplyAdd(p0, Vector256.Create(b0[2]), x2); x3 = Fma.MultiplyAdd(p0, Vector256.Create(b0[3]), x3);
        }
        for (int g1 = g; g1 < listed1; g1++)
        {
            float* b1 = b + (offsets1[g1] >> 1);
            Vector256<float> p1 = Avx.LoadVector256(a1 + MR * g1);
            y0 = Fma.MultiplyAdd(p1, Vector256.Create(b1[0]), y0); y1 = Fma.MultiplyAdd(p1, Vector256.Create(b1[1]), y1);
            y2 = Fma.MultiplyAdd(p1, Vector256.Create(b1[2]), y2); y3 = Fma.MultiplyAdd(p1, Vector256.Create(b1[3]), y3);
        }
        Avx.Store(start, x0); Avx.Store(start + 8, x1); Avx.Store(start + 16, x2); Avx.Store(start + 24, x3);
        Avx.Store(start + 32, y0); Avx.Store(start + 40, y1); Avx.Store(start + 48, y2); Avx.Store(start + 56, y3);
        EdgeStore(start, c, ldc, 2 * MR, cols);
    }
}
