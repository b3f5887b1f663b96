using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

/// <summary>
/// One row times a matrix, <c>z += x·W</c> with W stored k×n row-major (or a block of its columns): the product
/// <see cref="MatrixMultiply"/> runs for one or two rows of A with its AVX2 kernels, such as a layer's for a single prediction.
/// A matrix-vector product reads each weight it needs once and is bound by the speed at which the weights arrive, not by arithmetic.
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
/// Every z_j is one fused multiply-add chain over p in increasing order, starting from z_j (the bias, zero, or C to accumulate
/// to): the sums the AVX2 register tiles form for any row of a batch, so a row gets the same bits alone as in a batch. Skipping
/// a zero input leaves every sum as it was (fma(0, w, s) = s for finite w; at most the sign of a zero sum differs), so only a
/// W with a non-finite value in a row that meets a zero input, which no model file holds, could tell.
/// </para>
/// </remarks>
internal static class RowProduct
{
    /// <summary>Inputs examined at a time for the list of non-zero ones (the list lives on the stack: 4 KB).</summary>
    private const int ListLength = 1024;

    /// <summary>
    /// <c>z[j] += Σ_p x[p] · w[p·ldw + j]</c> for j &lt; <paramref name="n"/>, each sum one FMA chain over p in order. Needs AVX2
    /// and FMA; the caller (<see cref="MatrixMultiply"/>) has checked the operands' lengths.
    /// </summary>
    public static unsafe void Accumulate(float* x, float* w, nint ldw, float* z, int n, int k)
    {
        int* listed = stackalloc int[ListLength];
        // The last 1–7 columns go through a masked register, which neither reads past W nor writes past z.
        var tail = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n & 7)).AsSingle();
        for (int p0 = 0; p0 < k; p0 += ListLength)
        {
            int count = NonZeroInputs(x + p0, Math.Min(ListLength, k - p0), listed);
            float* x0 = x + p0, w0 = w + p0 * ldw;
            // Column blocks as wide as the registers allow (12 accumulators, a broadcast input and the masked register),
            // the masked columns riding with the last block.
            for (int j = 0, vectors = n / 8; j < n;)
            {
                int width = vectors >= 12 ? 12 : vectors >= 8 ? 8 : vectors >= 4 ? 4 : vectors >= 2 ? 2 : vectors;
                vectors -= width;
                bool masked = vectors == 0 && (n & 7) != 0;
                switch (width)
                {
                    case 12: Columns<Twelve>(x0, w0 + j, ldw, listed, count, z + j, masked, tail); break;
                    case 8: Columns<Eight>(x0, w0 + j, ldw, listed, count, z + j, masked, tail); break;
                    case 4: Columns<Four>(x0, w0 + j, ldw, listed, count, z + j, masked, tail); break;
                    case 2: Columns<Two>(x0, w0 + j, ldw, listed, count, z + j, masked, tail); break;
                    case 1: Columns<One>(x0, w0 + j, ldw, listed, count, z + j, masked, tail); break;
                    default: Columns<None>(x0, w0 + j, ldw, listed, count, z + j, masked, tail); break;
                }
                j += 8 * width + (masked ? n & 7 : 0);
            }
        }
    }

    /// <summary>
    /// Writes the indices p &lt; <paramref name="k"/> with <c>x[p] ≠ 0</c> (NaN included) to <paramref name="listed"/>, in order;
    /// returns how many. Each step of eight inputs stores eight indices and keeps as many as were non-zero; the store at p ends
    /// by p + 8 ≤ k, since at most p indices precede it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int NonZeroInputs(float* x, int k, int* listed)
    {
        // No branch on the data: a loop over each step's set bits mispredicted its exit about once per eight inputs.
        int count = 0, p = 0;
        fixed (ulong* positions = SetBitPositions)
        {
            for (; p + 8 <= k; p += 8)
            {
                uint bits = Avx.CompareNotEqual(Avx.LoadVector256(x + p), Vector256<float>.Zero).ExtractMostSignificantBits();
                var indices = Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(positions[bits]).AsByte());
                Avx.Store(listed + count, Avx2.Add(indices, Vector256.Create(p)));
                count += System.Numerics.BitOperations.PopCount(bits);
            }
        }
        for (; p < k; p++)
            if (x[p] != 0f) listed[count++] = p;
        return count;
    }

    /// <summary>For each 8-bit mask, the positions of its set bits in increasing order, a byte each.</summary>
    internal static readonly ulong[] SetBitPositions = Enumerable.Range(0, 256).Select(mask =>
    {
        ulong positions = 0;
        for (int bit = 7; bit >= 0; bit--)
            if ((mask >> bit & 1) != 0) positions = positions << 8 | (uint)bit;
        return positions;
    }).ToArray();

    /// <summary>
    /// z[0..8·V) (and the masked register after it) += Σ x[p]·W[p, ·] over the listed rows p, in order: V registers of
    /// accumulators (<typeparamref name="TVectors"/>), each one FMA chain, stay in registers for the whole pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Columns<TVectors>(float* x, float* w, nint ldw, int* listed, int count, float* z, bool masked, Vector256<float> tail)
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
            float* row = w + p * ldw;
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
