using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

/// <summary>
/// One row times a weight matrix, <c>z = b + x·W</c> with W stored k×n row-major: a layer's product for a single prediction,
/// a matrix-vector product that reads each weight it needs once and is bound by the speed at which the weights arrive, not by arithmetic.
/// </summary>
/// <remarks>
/// <para>
/// W is read where it lies, in one pass per block of up to 96 columns (twelve 8-float registers of accumulators, which stay in
/// registers over all k inputs, so each weight costs one load and one FMA and nothing else goes to memory). A 784×256 layer is
/// 800 KB, more than this machine's 512 KB L2, and comes from L3 on every call. Each row of W that meets a zero input
/// is skipped, as its products would add zero: half of a Fashion-MNIST image's pixels, and about half of a ReLU layer's outputs,
/// are zero, and their weights never leave memory.
/// </para>
/// <para>
/// Every z_j is one fused multiply-add chain over p in increasing order, starting from b_j: the sums <see cref="MatrixMultiply"/>
/// forms for any row of a batch with its AVX2 kernels, so a row gets the same bits alone as in a batch. Skipping a zero input
/// leaves every sum as it was (fma(0, w, s) = s for finite w; at most the sign of a zero sum differs), so only a network with
/// a non-finite weight, which no model file holds, could tell.
/// </para>
/// </remarks>
internal static class RowProduct
{
    /// <summary>
    /// Whether this product serves single rows here: where <see cref="MatrixMultiply"/> runs its AVX2 kernels, whose sums it
    /// reproduces. With AVX-512 the batch kernels sum a few edge columns as dot products, and the portable path rounds otherwise.
    /// </summary>
    public static bool IsAccelerated { get; } = MatrixMultiply.Kernels == "AVX2";

    /// <summary>Inputs examined at a time for the list of non-zero ones (the list lives on the stack: 4 KB).</summary>
    private const int ListLength = 1024;

    /// <summary>
    /// <c>z[j] = bias[j] + Σ_p x[p] · w[p·n + j]</c> for j &lt; n (<c>bias[j] = 0</c> when <paramref name="bias"/> is empty).
    /// Only where <see cref="IsAccelerated"/>.
    /// </summary>
    public static unsafe void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> z, int n, int k)
    {
        if (!IsAccelerated) throw new PlatformNotSupportedException("The single-row product needs AVX2 and FMA.");
        if (n < 1 || k < 0) throw new ArgumentOutOfRangeException(nameof(n), "A product needs at least one column and a non-negative depth.");
        if (x.Length < k) throw new ArgumentException($"x holds {x.Length} values; needs {k}.", nameof(x));
        if (w.Length < (long)k * n) throw new ArgumentException($"W holds {w.Length} values; needs {(long)k * n}.", nameof(w));
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"The bias holds {bias.Length} values; needs {n}.", nameof(bias));
        if (z.Length < n) throw new ArgumentException($"z holds {z.Length} values; needs {n}.", nameof(z));

        if (bias.IsEmpty) z[..n].Clear();
        else bias[..n].CopyTo(z);
        int* listed = stackalloc int[ListLength];
        fixed (float* px = x, pw = w, pz = z)
        {
            // The last 1–7 columns go through a masked register, which neither reads past W nor writes past z.
            var tail = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n & 7)).AsSingle();
            for (int p0 = 0; p0 < k; p0 += ListLength)
            {
                int count = NonZeroInputs(px + p0, Math.Min(ListLength, k - p0), listed);
                float* x0 = px + p0, w0 = pw + (long)p0 * n;
                // Column blocks as wide as the registers allow (12 accumulators, a broadcast input and the masked register),
                // the masked columns riding with the last block.
                for (int j = 0, vectors = n / 8; j < n;)
                {
                    int width = vectors >= 12 ? 12 : vectors >= 8 ? 8 : vectors >= 4 ? 4 : vectors >= 2 ? 2 : vectors;
                    vectors -= width;
                    bool masked = vectors == 0 && (n & 7) != 0;
                    switch (width)
                    {
                        case 12: Columns<Twelve>(x0, w0 + j, listed, count, n, pz + j, masked, tail); break;
                        case 8: Columns<Eight>(x0, w0 + j, listed, count, n, pz + j, masked, tail); break;
                        case 4: Columns<Four>(x0, w0 + j, listed, count, n, pz + j, masked, tail); break;
                        case 2: Columns<Two>(x0, w0 + j, listed, count, n, pz + j, masked, tail); break;
                        case 1: Columns<One>(x0, w0 + j, listed, count, n, pz + j, masked, tail); break;
                        default: Columns<None>(x0, w0 + j, listed, count, n, pz + j, masked, tail); break;
                    }
                    j += 8 * width + (masked ? n & 7 : 0);
                }
            }
        }
    }

    /// <summary>Writes the indices p &lt; <paramref name="k"/> with <c>x[p] ≠ 0</c> (NaN included) to <paramref name="listed"/>, in order; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int NonZeroInputs(float* x, int k, int* listed)
    {
        int count = 0, p = 0;
        for (; p + 8 <= k; p += 8)
        {
            uint bits = Avx.CompareNotEqual(Avx.LoadVector256(x + p), Vector256<float>.Zero).ExtractMostSignificantBits();
            while (bits != 0)
            {
                listed[count++] = p + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
        for (; p < k; p++)
            if (x[p] != 0f) listed[count++] = p;
        return count;
    }

    /// <summary>
    /// z[0..8·V) (and the masked register after it) += Σ x[p]·W[p, ·] over the listed rows p, in order: V registers of
    /// accumulators (<typeparamref name="TVectors"/>), each one FMA chain, stay in registers for the whole pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Columns<TVectors>(float* x, float* w, int* listed, int count, int n, float* z, bool masked, Vector256<float> tail)
        where TVectors : struct, IVectors
    {
        int v = TVectors.Count;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<float> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default, t = default;
        if (v > 0) s0 = Avx.LoadVector256(z);
        if (v > 1) s1 = Avx.LoadVector256(z + 8);
        if (v > 2) { s2 = Avx.LoadVector256(z + 16); s3 = Avx.LoadVector256(z + 24); }
        if (v > 4) { s4 = Avx.LoadVector256(z + 32); s5 = Avx.LoadVector256(z + 40); s6 = Avx.LoadVector256(z + 48); s7 = Avx.LoadVector256(z + 56); }
        if (v > 8) { s8 = Avx.LoadVector256(z + 64); s9 = Avx.LoadVector256(z + 72); s10 = Avx.LoadVector256(z + 80); s11 = Avx.LoadVector256(z + 88); }
        if (masked) t = Avx.MaskLoad(z + 8 * v, tail);
        for (int g = 0; g < count; g++)
        {
            int p = listed[g];
            float* row = w + (long)p * n;
            var a = Vector256.Create(x[p]);
            if (v > 0) s0 = Fma.MultiplyAdd(a, Avx.LoadVector256(row), s0);
            if (v > 1) s1 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 8), s1);
            if (v > 2)
            {
                s2 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 16), s2);
                s3 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 24), s3);
            }
            if (v > 4)
            {
                s4 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 32), s4);
                s5 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 40), s5);
                s6 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 48), s6);
                s7 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 56), s7);
            }
            if (v > 8)
            {
                s8 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 64), s8);
                s9 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 72), s9);
                s10 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 80), s10);
                s11 = Fma.MultiplyAdd(a, Avx.LoadVector256(row + 88), s11);
            }
            if (masked) t = Fma.MultiplyAdd(a, Avx.MaskLoad(row + 8 * v, tail), t);
        }
        if (v > 0) Avx.Store(z, s0);
        if (v > 1) Avx.Store(z + 8, s1);
        if (v > 2) { Avx.Store(z + 16, s2); Avx.Store(z + 24, s3); }
        if (v > 4) { Avx.Store(z + 32, s4); Avx.Store(z + 40, s5); Avx.Store(z + 48, s6); Avx.Store(z + 56, s7); }
        if (v > 8) { Avx.Store(z + 64, s8); Avx.Store(z + 72, s9); Avx.Store(z + 80, s10); Avx.Store(z + 88, s11); }
        if (masked) Avx.MaskStore(z + 8 * v, tail, t);
    }

    /// <summary>How many registers of columns a pass of <see cref="Columns{TVectors}"/> carries; a type, so each width compiles to its own loop.</summary>
    private interface IVectors
    {
        static abstract int Count { get; }
    }

    private struct None : IVectors { public static int Count => 0; }
    private struct One : IVectors { public static int Count => 1; }
    private struct Two : IVectors { public static int Count => 2; }
    private struct Four : IVectors { public static int Count => 4; }
    private struct Eight : IVectors { public static int Count => 8; }
    private struct Twelve : IVectors { public static int Count => 12; }
}
