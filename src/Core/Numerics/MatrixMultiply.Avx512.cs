using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    private sealed unsafe partial class Job
    {
        /// <summary>
        /// Points <paramref name="columns"/> at the edge columns of op(B), each contiguous over p: rows of a B stored n×k as they
        /// lie, otherwise copied into this thread's edge buffer. Columns past n repeat the first edge column.
        /// </summary>
        private void EdgeColumnsOfB(float** columns)
        {
            int cols = _n - _mainCols, k = _k;
            float* copy = _transpose == Transpose.B ? null : EdgeBuffer(cols * k);
            for (int j = 0; j < EdgeWidth; j++)
            {
                int jj = j < cols ? j : 0;
                columns[j] = copy is null ? _b + (long)(_mainCols + jj) * k : copy + (long)jj * k;
            }
            if (copy is null) return;
            float* src = _b + _mainCols;
            int p = 0;
            if (cols == EdgeWidth)
            {
                // Four steps of p by four columns at a time, transposed through SSE registers instead of sixteen scalar copies.
                for (; p + 4 <= k; p += 4, src += 4 * _n)
                {
                    Vector128<float> r0 = Sse.LoadVector128(src), r1 = Sse.LoadVector128(src + _n);
                    Vector128<float> r2 = Sse.LoadVector128(src + 2 * _n), r3 = Sse.LoadVector128(src + 3 * _n);
                    Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1), t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
                    Sse.Store(copy + p, Sse.MoveLowToHigh(t0, t2));
                    Sse.Store(copy + k + p, Sse.MoveHighToLow(t2, t0));
                    Sse.Store(copy + 2 * k + p, Sse.MoveLowToHigh(t1, t3));
                    Sse.Store(copy + 3 * k + p, Sse.MoveHighToLow(t3, t1));
                }
            }
            for (; p < k; p++, src += _n)
                for (int j = 0; j < cols; j++) copy[(long)j * k + p] = src[j];
        }

        /// <summary>
        /// The edge columns of rows <paramref name="i"/>..+<paramref name="rows"/>: <c>C[r, j] = (accumulate ? C : bias or 0) + dot</c>,
        /// with each dot product summed as <see cref="Dots3x4"/> does, whichever path (tiles or single rows) and thread asks.
        /// </summary>
        private void EdgeDots(int i, int rows, float** columns)
        {
            int cols = _n - _mainCols;
            float* sums = stackalloc float[3 * EdgeWidth];
            for (int r = 0; r < rows; r += 3)
            {
                // A short group repeats its first row; those sums are not stored.
                float* a0 = RowOfA(i + r);
                Dots3x4(a0, r + 1 < rows ? RowOfA(i + r + 1) : a0, r + 2 < rows ? RowOfA(i + r + 2) : a0, columns, _k, sums);
                for (int rr = r; rr < Math.Min(rows, r + 3); rr++)
                {
                    float* ci = _c + (long)(i + rr) * _n + _mainCols;
                    for (int j = 0; j < cols; j++)
                        ci[j] = (_accumulate ? ci[j] : _bias is null ? 0f : _bias[_mainCols + j]) + sums[(rr - r) * EdgeWidth + j];
                }
            }
        }

        /// <summary>
        /// The edge columns of rows <paramref name="i0"/>..<paramref name="i1"/> when A is stored k×m: column i of op(A) runs
        /// along row p of the stored A, so sixteen rows of C share a register, each element one FMA chain over p from
        /// <c>(accumulate ? C : bias or 0)</c> as in the tiles. Rows past the last sixteen go a value at a time, in the same order.
        /// </summary>
        private void EdgeOfTransposedA(int i0, int i1)
        {
            int cols = _n - _mainCols, m = _m, n = _n, k = _k;
            // B's edge columns side by side, EdgeWidth per step of p, zero-padded: one broadcast per column and step.
            float* bq = EdgeBuffer(EdgeWidth * k);
            new Span<float>(bq, EdgeWidth * k).Clear();
            for (int p = 0; p < k; p++)
                for (int j = 0; j < cols; j++) bq[p * EdgeWidth + j] = _b[(long)p * n + _mainCols + j];
            float* start = stackalloc float[EdgeWidth];
            for (int j = 0; j < EdgeWidth; j++) start[j] = j >= cols || _bias is null ? 0f : _bias[_mainCols + j];
            float* block = stackalloc float[EdgeWidth * 32];
            int i = i0;
            while (i + 16 <= i1)
            {
                // Thirty-two rows, or a last sixteen computed twice (the copy is not stored).
                int rows = i + 32 <= i1 ? 32 : 16;
                for (int j = 0; j < EdgeWidth; j++)
                {
                    var first = Vector512.Create(start[j]);
                    Avx512F.Store(block + j * 16, first);
                    Avx512F.Store(block + 64 + j * 16, first);
                }
                if (_accumulate)
                    for (int r = 0; r < rows; r++)
                        for (int j = 0; j < cols; j++) block[r / 16 * 64 + j * 16 + r % 16] = _c[(long)(i + r) * n + _mainCols + j];
                ColumnsTimesRows32x4(_a + i, rows == 32 ? _a + i + 16 : _a + i, m, bq, k, block);
                float* c0 = _c + (long)i * n + _mainCols;
                if (cols == EdgeWidth)
                {
                    StoreRowsOf16x4(block, c0, n);
                    if (rows == 32) StoreRowsOf16x4(block + 64, c0 + 16L * n, n);
                }
                else
                    for (int r = 0; r < rows; r++)
                        for (int j = 0; j < cols; j++) c0[(long)r * n + j] = block[r / 16 * 64 + j * 16 + r % 16];
                i += rows;
            }
            for (; i < i1; i++)
                for (int j = 0; j < cols; j++)
                {
                    float* ci = _c + (long)i * n + _mainCols + j;
                    float sum = _accumulate ? *ci : start[j];
                    for (int p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(_a[(long)p * m + i], bq[p * EdgeWidth + j], sum);
                    *ci = sum;
                }
        }
    }

    /// <summary>Asks for the cache line at <c>rows[r] + p</c> of each of six rows.</summary>
    private static unsafe void PrefetchLines(float** rows, int p)
    {
        Sse.Prefetch0(rows[0] + p); Sse.Prefetch0(rows[1] + p); Sse.Prefetch0(rows[2] + p);
        Sse.Prefetch0(rows[3] + p); Sse.Prefetch0(rows[4] + p); Sse.Prefetch0(rows[5] + p);
    }

    /// <summary>
    /// <c>copy[r][p0 + q] = a[o_r + q]</c> for the six rows of a panel (row offsets as the kernels take them) and <c>q &lt; count</c>:
    /// sixteen values a row in two AVX registers, or a value at a time for a last, shorter slice.
    /// </summary>
    private static unsafe void CopyPanelSlice(float* a, nint* offsets, float** copy, int p0, int count)
    {
        for (int r = 0; r < MR; r++)
        {
            float* src = r == 0 ? a : a + offsets[r - 1], dst = copy[r] + p0;
            if (count == 16)
            {
                Avx.Store(dst, Avx.LoadVector256(src));
                Avx.Store(dst + 8, Avx.LoadVector256(src + 8));
            }
            else
                for (int q = 0; q < count; q++) dst[q] = src[q];
        }
    }

    /// <summary>
    /// <c>sums[r·4 + j] = Σ_p a_r[p] · columns[j][p]</c> for three rows and four columns: sixteen partial sums per product
    /// (p mod 16), added across the register in a fixed order (<see cref="SumAcross"/>), then the last k mod 16 terms one at a time.
    /// Three rows share each load of a column (measured 0.31 ns per FMA against 0.37 for two).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dots3x4(float* a0, float* a1, float* a2, float** columns, int k, float* sums)
    {
        float* b0 = columns[0], b1 = columns[1], b2 = columns[2], b3 = columns[3];
        Vector512<float> x00 = Vector512<float>.Zero, x01 = x00, x02 = x00, x03 = x00, x10 = x00, x11 = x00, x12 = x00, x13 = x00;
        Vector512<float> x20 = x00, x21 = x00, x22 = x00, x23 = x00;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var u = Avx512F.LoadVector512(a0 + p);
            var v = Avx512F.LoadVector512(a1 + p);
            var w = Avx512F.LoadVector512(a2 + p);
            var b = Avx512F.LoadVector512(b0 + p);
            x00 = Avx512F.FusedMultiplyAdd(u, b, x00); x10 = Avx512F.FusedMultiplyAdd(v, b, x10); x20 = Avx512F.FusedMultiplyAdd(w, b, x20);
            b = Avx512F.LoadVector512(b1 + p);
            x01 = Avx512F.FusedMultiplyAdd(u, b, x01); x11 = Avx512F.FusedMultiplyAdd(v, b, x11); x21 = Avx512F.FusedMultiplyAdd(w, b, x21);
            b = Avx512F.LoadVector512(b2 + p);
            x02 = Avx512F.FusedMultiplyAdd(u, b, x02); x12 = Avx512F.FusedMultiplyAdd(v, b, x12); x22 = Avx512F.FusedMultiplyAdd(w, b, x22);
            b = Avx512F.LoadVector512(b3 + p);
            x03 = Avx512F.FusedMultiplyAdd(u, b, x03); x13 = Avx512F.FusedMultiplyAdd(v, b, x13); x23 = Avx512F.FusedMultiplyAdd(w, b, x23);
        }
        (sums[0], sums[1], sums[2], sums[3]) = (SumAcross(x00), SumAcross(x01), SumAcross(x02), SumAcross(x03));
        (sums[4], sums[5], sums[6], sums[7]) = (SumAcross(x10), SumAcross(x11), SumAcross(x12), SumAcross(x13));
        (sums[8], sums[9], sums[10], sums[11]) = (SumAcross(x20), SumAcross(x21), SumAcross(x22), SumAcross(x23));
        for (; p < k; p++)
            for (int j = 0; j < EdgeWidth; j++)
            {
                float b = columns[j][p];
                sums[j] = MathF.FusedMultiplyAdd(a0[p], b, sums[j]);
                sums[EdgeWidth + j] = MathF.FusedMultiplyAdd(a1[p], b, sums[EdgeWidth + j]);
                sums[2 * EdgeWidth + j] = MathF.FusedMultiplyAdd(a2[p], b, sums[2 * EdgeWidth + j]);
            }
    }

    /// <summary>The sixteen lanes added halves onto halves: an order written out here, so every path that forms an edge sum uses this one.</summary>
    private static float SumAcross(Vector512<float> v)
    {
        Vector256<float> h = Avx.Add(v.GetLower(), v.GetUpper());
        Vector128<float> q = Sse.Add(h.GetLower(), h.GetUpper());
        q = Sse.Add(q, Sse.MoveHighToLow(q, q));
        return Sse.AddScalar(q, Sse.Shuffle(q, q, 1)).ToScalar();
    }

    /// <summary>
    /// <c>block[h·64 + j·16 + r] += Σ_p a_h[p·lda + r] · bq[p·4 + j]</c> for two groups h of sixteen rows r and four columns j:
    /// one register per group and column, one FMA chain per element in p order, as a tile's. Eight chains, not four, keep the
    /// FMA units busy (measured 0.30 ns per FMA against 0.39 for one group).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ColumnsTimesRows32x4(float* a0, float* a1, nint lda, float* bq, int k, float* block)
    {
        Vector512<float> x0 = Avx512F.LoadVector512(block), x1 = Avx512F.LoadVector512(block + 16);
        Vector512<float> x2 = Avx512F.LoadVector512(block + 32), x3 = Avx512F.LoadVector512(block + 48);
        Vector512<float> y0 = Avx512F.LoadVector512(block + 64), y1 = Avx512F.LoadVector512(block + 80);
        Vector512<float> y2 = Avx512F.LoadVector512(block + 96), y3 = Avx512F.LoadVector512(block + 112);
        nint offset = 0;
        for (int p = 0; p < k; p++, offset += lda, bq += EdgeWidth)
        {
            var u = Avx512F.LoadVector512(a0 + offset);
            var v = Avx512F.LoadVector512(a1 + offset);
            var s = Vector512.Create(bq[0]);
            x0 = Avx512F.FusedMultiplyAdd(u, s, x0); y0 = Avx512F.FusedMultiplyAdd(v, s, y0);
            s = Vector512.Create(bq[1]);
            x1 = Avx512F.FusedMultiplyAdd(u, s, x1); y1 = Avx512F.FusedMultiplyAdd(v, s, y1);
            s = Vector512.Create(bq[2]);
            x2 = Avx512F.FusedMultiplyAdd(u, s, x2); y2 = Avx512F.FusedMultiplyAdd(v, s, y2);
            s = Vector512.Create(bq[3]);
            x3 = Avx512F.FusedMultiplyAdd(u, s, x3); y3 = Avx512F.FusedMultiplyAdd(v, s, y3);
        }
        Avx512F.Store(block, x0); Avx512F.Store(block + 16, x1); Avx512F.Store(block + 32, x2); Avx512F.Store(block + 48, x3);
        Avx512F.Store(block + 64, y0); Avx512F.Store(block + 80, y1); Avx512F.Store(block + 96, y2); Avx512F.Store(block + 112, y3);
    }

    /// <summary>
    /// <c>c[r·ldc + j] = block[j·16 + r]</c> for sixteen rows and four columns: the four column registers transposed a 4×4
    /// square per 128-bit lane, each row's four values one store.
    /// </summary>
    private static unsafe void StoreRowsOf16x4(float* block, float* c, nint ldc)
    {
        Vector512<float> x0 = Avx512F.LoadVector512(block), x1 = Avx512F.LoadVector512(block + 16);
        Vector512<float> x2 = Avx512F.LoadVector512(block + 32), x3 = Avx512F.LoadVector512(block + 48);
        Vector512<float> t0 = Avx512F.UnpackLow(x0, x1), t1 = Avx512F.UnpackHigh(x0, x1), t2 = Avx512F.UnpackLow(x2, x3), t3 = Avx512F.UnpackHigh(x2, x3);
        // Lane q of u_s holds row 4q + s.
        Vector512<float> u0 = Avx512F.Shuffle(t0, t2, 0x44), u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        Vector512<float> u2 = Avx512F.Shuffle(t1, t3, 0x44), u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        StoreFourRows(c, ldc, u0.GetLower().GetLower(), u1.GetLower().GetLower(), u2.GetLower().GetLower(), u3.GetLower().GetLower());
        StoreFourRows(c + 4 * ldc, ldc, Avx512F.ExtractVector128(u0, 1), Avx512F.ExtractVector128(u1, 1), Avx512F.ExtractVector128(u2, 1), Avx512F.ExtractVector128(u3, 1));
        StoreFourRows(c + 8 * ldc, ldc, Avx512F.ExtractVector128(u0, 2), Avx512F.ExtractVector128(u1, 2), Avx512F.ExtractVector128(u2, 2), Avx512F.ExtractVector128(u3, 2));
        StoreFourRows(c + 12 * ldc, ldc, Avx512F.ExtractVector128(u0, 3), Avx512F.ExtractVector128(u1, 3), Avx512F.ExtractVector128(u2, 3), Avx512F.ExtractVector128(u3, 3));
    }

    private static unsafe void StoreFourRows(float* c, nint ldc, Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3)
    {
        Sse.Store(c, r0); Sse.Store(c + ldc, r1); Sse.Store(c + 2 * ldc, r2); Sse.Store(c + 3 * ldc, r3);
    }

    /// <summary>
    /// <c>C[0..6, 0..width] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>, <paramref name="bias"/> (null for 0)
    /// holding <paramref name="width"/> readable values, where row r of the panel starts at <c>o_r</c> (<c>o_0 = 0</c>, <c>o_r = offsets[r − 1]</c>):
    /// offsets rather than one row stride, so rows scattered over a data set cost no more than evenly spaced ones.
    /// </summary>
    /// <remarks>
    /// With <paramref name="next"/> (the six rows of the next panel of A, or null) the two full-width kernels ask for one cache
    /// line of each of those rows every 16 steps of p: a panel read from main memory then arrives while the one before it is
    /// multiplied, a few lines at a time, where asking for it all at once stalled the processor instead.
    /// With <paramref name="copy"/> (six destinations, or null; rows of A contiguous in p) they also copy the panel's rows there
    /// 16 values at a time, just after reading them: gathering a listed mini-batch this way instead of with a copy call per row
    /// after the panel took 2.5–4 ms off 600 forward and weight-gradient products of 100×784×100.
    /// </remarks>
    private static unsafe void Kernel(int width, int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias,
        float** next = null, float** copy = null)
    {
        if (width == 32) Kernel512x2(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias, next, copy);
        else if (width == 16) Kernel512x1(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias);
        else Kernel256x1(kc, a, offsets, ds, b, ldb, c, ldc, loadC, bias);
    }

    /// <summary>
    /// <c>C[0..6, 0..32] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: twelve AVX-512 accumulators, two loads of B and six
    /// broadcasts of A per step of p, so the FMA units rather than the loads set the pace.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512x2(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias, float** next, float** copy)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector512<float> x00, x01, x10, x11, x20, x21, x30, x31, x40, x41, x50, x51;
        if (loadC)
        {
            x00 = Avx512F.LoadVector512(c0); x01 = Avx512F.LoadVector512(c0 + 16);
            x10 = Avx512F.LoadVector512(c1); x11 = Avx512F.LoadVector512(c1 + 16);
            x20 = Avx512F.LoadVector512(c2); x21 = Avx512F.LoadVector512(c2 + 16);
            x30 = Avx512F.LoadVector512(c3); x31 = Avx512F.LoadVector512(c3 + 16);
            x40 = Avx512F.LoadVector512(c4); x41 = Avx512F.LoadVector512(c4 + 16);
            x50 = Avx512F.LoadVector512(c5); x51 = Avx512F.LoadVector512(c5 + 16);
        }
        else
        {
            x00 = x10 = x20 = x30 = x40 = x50 = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias);
            x01 = x11 = x21 = x31 = x41 = x51 = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias + 16);
        }
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p0 = 0; p0 < kc; p0 += 16)
        {
            if (copy is not null) CopyPanelSlice(a, offsets, copy, p0, Math.Min(16, kc - p0));
            if (next is not null) PrefetchLines(next, p0);
            for (int p = p0, end = Math.Min(kc, p0 + 16); p < end; p++)
            {
                var b0 = Avx512F.LoadVector512(b);
                var b1 = Avx512F.LoadVector512(b + 16);
                var s = Vector512.Create(a[0]);
                x00 = Avx512F.FusedMultiplyAdd(s, b0, x00); x01 = Avx512F.FusedMultiplyAdd(s, b1, x01);
                s = Vector512.Create(a[r1]);
                x10 = Avx512F.FusedMultiplyAdd(s, b0, x10); x11 = Avx512F.FusedMultiplyAdd(s, b1, x11);
                s = Vector512.Create(a[r2]);
                x20 = Avx512F.FusedMultiplyAdd(s, b0, x20); x21 = Avx512F.FusedMultiplyAdd(s, b1, x21);
                s = Vector512.Create(a[r3]);
                x30 = Avx512F.FusedMultiplyAdd(s, b0, x30); x31 = Avx512F.FusedMultiplyAdd(s, b1, x31);
                s = Vector512.Create(a[r4]);
                x40 = Avx512F.FusedMultiplyAdd(s, b0, x40); x41 = Avx512F.FusedMultiplyAdd(s, b1, x41);
                s = Vector512.Create(a[r5]);
                x50 = Avx512F.FusedMultiplyAdd(s, b0, x50); x51 = Avx512F.FusedMultiplyAdd(s, b1, x51);
                a += ds;
                b += ldb;
            }
        }
        Avx512F.Store(c0, x00); Avx512F.Store(c0 + 16, x01);
        Avx512F.Store(c1, x10); Avx512F.Store(c1 + 16, x11);
        Avx512F.Store(c2, x20); Avx512F.Store(c2 + 16, x21);
        Avx512F.Store(c3, x30); Avx512F.Store(c3 + 16, x31);
        Avx512F.Store(c4, x40); Avx512F.Store(c4 + 16, x41);
        Avx512F.Store(c5, x50); Avx512F.Store(c5 + 16, x51);
    }

    /// <summary><c>C[0..6, 0..16] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: the last, narrow strip of an AVX-512 product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512x1(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector512<float> x0, x1, x2, x3, x4, x5;
        if (loadC)
        {
            x0 = Avx512F.LoadVector512(c0); x1 = Avx512F.LoadVector512(c1); x2 = Avx512F.LoadVector512(c2);
            x3 = Avx512F.LoadVector512(c3); x4 = Avx512F.LoadVector512(c4); x5 = Avx512F.LoadVector512(c5);
        }
        else x0 = x1 = x2 = x3 = x4 = x5 = bias is null ? Vector512<float>.Zero : Avx512F.LoadVector512(bias);
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx512F.LoadVector512(b);
            x0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, x0);
            x1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r1]), b0, x1);
            x2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r2]), b0, x2);
            x3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r3]), b0, x3);
            x4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r4]), b0, x4);
            x5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r5]), b0, x5);
            a += ds;
            b += ldb;
        }
        Avx512F.Store(c0, x0); Avx512F.Store(c1, x1); Avx512F.Store(c2, x2);
        Avx512F.Store(c3, x3); Avx512F.Store(c4, x4); Avx512F.Store(c5, x5);
    }

    /// <summary><c>C[0..6, 0..8] = (loadC ? C : bias or 0) + Σ_p a[o_r + p·ds] · b[p·ldb + j]</c>: a last strip of at most 8 columns in an AVX-512 product, or in an AVX2 one (on a packed panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256x1(int kc, float* a, nint* offsets, nint ds, float* b, nint ldb, float* c, nint ldc, bool loadC, float* bias)
    {
        float* c0 = c, c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        Vector256<float> x0, x1, x2, x3, x4, x5;
        if (loadC)
        {
            x0 = Avx.LoadVector256(c0); x1 = Avx.LoadVector256(c1); x2 = Avx.LoadVector256(c2);
            x3 = Avx.LoadVector256(c3); x4 = Avx.LoadVector256(c4); x5 = Avx.LoadVector256(c5);
        }
        else x0 = x1 = x2 = x3 = x4 = x5 = bias is null ? Vector256<float>.Zero : Avx.LoadVector256(bias);
        nint r1 = offsets[0], r2 = offsets[1], r3 = offsets[2], r4 = offsets[3], r5 = offsets[4];
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b);
            x0 = Fma.MultiplyAdd(Vector256.Create(a[0]), b0, x0);
            x1 = Fma.MultiplyAdd(Vector256.Create(a[r1]), b0, x1);
            x2 = Fma.MultiplyAdd(Vector256.Create(a[r2]), b0, x2);
            x3 = Fma.MultiplyAdd(Vector256.Create(a[r3]), b0, x3);
            x4 = Fma.MultiplyAdd(Vector256.Create(a[r4]), b0, x4);
            x5 = Fma.MultiplyAdd(Vector256.Create(a[r5]), b0, x5);
            a += ds;
            b += ldb;
        }
        Avx.Store(c0, x0); Avx.Store(c1, x1); Avx.Store(c2, x2);
        Avx.Store(c3, x3); Avx.Store(c4, x4); Avx.Store(c5, x5);
    }
}
