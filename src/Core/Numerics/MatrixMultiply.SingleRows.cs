using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    /// <summary>
    /// <c>c[j] += Σ_p a[p] · b[p·ldb + j]</c> for <c>j &lt; n</c>: one row times a matrix on the AVX-512 path (the AVX2 path has
    /// <see cref="RowProduct"/>), reading each row of B once with four accumulators in flight (enough to hide the FMA latency);
    /// the columns left over go one register, then one 8-float register, then one value, at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowTimesMatrix(float* a, float* b, float* c, int n, int ldb, int k)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(c + j), x1 = Avx512F.LoadVector512(c + j + 16);
            Vector512<float> x2 = Avx512F.LoadVector512(c + j + 32), x3 = Avx512F.LoadVector512(c + j + 48);
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                var s = Vector512.Create(a[p]);
                x0 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp), x0);
                x1 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp + 16), x1);
                x2 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp + 32), x2);
                x3 = Avx512F.FusedMultiplyAdd(s, Avx512F.LoadVector512(bp + 48), x3);
            }
            Avx512F.Store(c + j, x0); Avx512F.Store(c + j + 16, x1); Avx512F.Store(c + j + 32, x2); Avx512F.Store(c + j + 48, x3);
        }
        for (; j + 16 <= n; j += 16)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(c + j);
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) x0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[p]), Avx512F.LoadVector512(bp), x0);
            Avx512F.Store(c + j, x0);
        }
        for (; j + 8 <= n; j += 8)
        {
            Vector256<float> x0 = Avx.LoadVector256(c + j);
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) x0 = Fma.MultiplyAdd(Vector256.Create(a[p]), Avx.LoadVector256(bp), x0);
            Avx.Store(c + j, x0);
        }
        for (; j < n; j++)
        {
            float sum = c[j];
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) sum = MathF.FusedMultiplyAdd(a[p], *bp, sum);
            c[j] = sum;
        }
    }
}
