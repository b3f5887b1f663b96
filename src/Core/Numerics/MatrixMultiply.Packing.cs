using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    private sealed unsafe partial class Job
    {
        /// <summary>Packs op(A)[i..i+rows, pc..pc+kc] as <c>edge[p·MR + r]</c>, zero-padding the missing rows.</summary>
        private void PackEdgeA(float* edge, int i, int rows, int pc, int kc)
        {
            new Span<float>(edge, MR * kc).Clear();
            for (int r = 0; r < rows; r++)
            {
                if (_transpose == Transpose.A)
                    for (int p = 0; p < kc; p++) edge[p * MR + r] = _a[(long)(pc + p) * _m + i + r];
                else
                {
                    float* row = RowOfA(i + r) + pc;
                    for (int p = 0; p < kc; p++) edge[p * MR + r] = row[p];
                }
            }
        }

        /// <summary>
        /// Whether full strips of B are read where they lie: B must be stored k×n and small enough to stay in L2; a larger B is
        /// packed, because a row stride of a large power of two would map a whole strip onto a few cache sets and TLB entries.
        /// </summary>
        private bool ReadsBInPlace => _transpose != Transpose.B && (long)_k * _n <= MaxInPlaceB && _m <= MaxInPlaceRows && _aRows is null;

        /// <summary>
        /// Packs op(B)[pc..pc+kc, jc..jc+nc] into consecutive strips, each <c>kc × width</c> with row p of the strip contiguous,
        /// zero-padded to the strip width (<see cref="StripWidth"/>). With <paramref name="fullStripsElsewhere"/> (B stored k×n) full
        /// strips are left out, their slots unused: the AVX-512 kernels read them in place (<see cref="ReadsBInPlace"/>), which saves
        /// each thread a copy of B, and the AVX2 kernel packs them while the first panel reads them (<see cref="StripPackedOnTheWay"/>).
        /// </summary>
        private void PackB(float* dst, int jc, int nc, int pc, int kc, bool fullStripsElsewhere)
        {
            for (int j = jc; j < jc + nc; j += NR)
            {
                int cols = Math.Min(NR, jc + nc - j);
                int width = StripWidth(cols);
                if (_transpose == Transpose.B)
                {
                    // B stored n×k: column j of op(B) is row j of B, contiguous in p. Eight rows by eight depths at a time go
                    // through registers (a copy a value with strided stores held dX = G·Wᵀ at 86 GFLOP/s against 110 for the
                    // other layouts); the edges are copied a value at a time.
                    if (cols < width) new Span<float>(dst, kc * width).Clear();
                    int fullRows = cols & ~7, fullDepth = kc & ~7;
                    for (int jj = 0; jj < fullRows; jj += 8)
                        for (int p = 0; p < fullDepth; p += 8)
                            Transpose8x8(_b + (long)(j + jj) * _k + pc + p, _k, dst + p * width + jj, width);
                    for (int jj = 0; jj < cols; jj++)
                    {
                        float* src = _b + (long)(j + jj) * _k + pc;
                        for (int p = jj < fullRows ? fullDepth : 0; p < kc; p++) dst[p * width + jj] = src[p];
                    }
                }
                else if (cols < width || !fullStripsElsewhere)
                {
                    // Register-wide copies: with a copy call per row of each strip, packing a 784×100 B made the 100-row forward
                    // product about 11 µs (7 %) slower than reading B in place; these took 4 ms off an epoch of 600 such products.
                    float* src = _b + (long)pc * _n + j;
                    for (int p = 0; p < kc; p++, src += _n)
                    {
                        float* row = dst + p * width;
                        if (cols == width)
                        {
                            for (int q = 0; q < width; q += 8) Vector256.Store(Vector256.Load(src + q), row + q);
                            continue;
                        }
                        int jj = 0;
                        for (; jj < cols; jj++) row[jj] = src[jj];
                        for (; jj < width; jj++) row[jj] = 0f;
                    }
                }
                dst += kc * width;
            }
        }
    }

    /// <summary><c>dst[u·dstStride + t] = src[t·srcStride + u]</c> for <c>t, u &lt; 8</c>: an 8×8 block transposed in AVX registers.</summary>
    private static unsafe void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves exchanged.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// <c>dst[r·dstStride + j] = src[r·srcStride + j]</c> for <c>r &lt; rows</c>, <c>j &lt; cols</c>: the few values of an edge tile,
    /// where a call per row (as <see cref="Span{T}.CopyTo"/> makes) would cost more than the copy. The most frequent edge tile
    /// (4 columns of n = 100 on each of 131 row panels of a 784×100 weight gradient) made such copies several per cent of an epoch.
    /// </summary>
    private static unsafe void CopyBlock(float* src, nint srcStride, float* dst, nint dstStride, int rows, int cols)
    {
        for (int r = 0; r < rows; r++, src += srcStride, dst += dstStride)
            for (int j = 0; j < cols; j++) dst[j] = src[j];
    }
}
