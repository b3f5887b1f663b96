using System.Numerics.Tensors;

namespace MLNetNN.Numerics;

public static partial class MatrixMultiply
{
    private sealed unsafe partial class Job
    {
        /// <summary>The portable path: rows of C as sums of scaled rows of op(B) (or dot products for <see cref="Transpose.B"/>).</summary>
        private void PortableRows(int i0, int i1, int j0, int j1)
        {
            int m = _m, n = _n, k = _k, cols = j1 - j0;
            var b = new ReadOnlySpan<float>(_b, k * n);
            for (int i = i0; i < i1; i++)
            {
                var ci = new Span<float>(_c + (long)i * n + j0, cols);
                if (!_accumulate)
                {
                    if (_bias is null) ci.Clear();
                    else new ReadOnlySpan<float>(_bias + j0, cols).CopyTo(ci);
                }
                switch (_transpose)
                {
                    case Transpose.None:
                        float* ai = RowOfA(i);
                        for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(b.Slice(p * n + j0, cols), ai[p], ci, ci);
                        break;
                    case Transpose.A:
                        for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(b.Slice(p * n + j0, cols), _a[(long)p * m + i], ci, ci);
                        break;
                    default:
                        var row = new ReadOnlySpan<float>(RowOfA(i), k);
                        for (int j = 0; j < cols; j++) ci[j] += TensorPrimitives.Dot(row, b.Slice((j0 + j) * k, k));
                        break;
                }
            }
            if (j0 == 0) GatherRows(i0, i1 - i0, 0, k);
        }
    }
}
