using System.Numerics.Tensors;

namespace MLNetNN.Numerics;

/// <summary>
/// Row-major single-precision matrix multiply, the one place in the engine with loops over matrix indices.
/// Computes <c>C = op(A) · op(B)</c> or <c>C += op(A) · op(B)</c>, where <c>op(A)</c> is m×k and <c>op(B)</c> is k×n.
/// </summary>
/// <remarks>
/// The three layouts are the three products backpropagation needs without materialising a transpose:
/// forward <c>Z = X·W</c> (<see cref="Transpose.None"/>), weight gradient <c>dW = Xᵀ·G</c> (<see cref="Transpose.A"/>)
/// and input gradient <c>dX = G·Wᵀ</c> (<see cref="Transpose.B"/>).
/// Work is split over rows of C only, and every element of C is summed in the same order whatever the split,
/// so results are bit-identical for any thread count.
/// </remarks>
public static class MatrixMultiply
{
    /// <summary>Which operand is stored transposed.</summary>
    public enum Transpose
    {
        /// <summary>A is m×k, B is k×n.</summary>
        None,
        /// <summary>A is stored k×m (so C = Aᵀ·B), B is k×n.</summary>
        A,
        /// <summary>A is m×k, B is stored n×k (so C = A·Bᵀ).</summary>
        B,
    }

    /// <summary>
    /// <c>C[i,j] = (accumulate ? C[i,j] : 0) + Σ_p op(A)[i,p] · op(B)[p,j]</c>.
    /// </summary>
    /// <param name="a">Left operand, m×k (or k×m for <see cref="Transpose.A"/>).</param>
    /// <param name="b">Right operand, k×n (or n×k for <see cref="Transpose.B"/>).</param>
    /// <param name="c">Result, m×n.</param>
    /// <param name="m">Rows of the result.</param>
    /// <param name="n">Columns of the result.</param>
    /// <param name="k">Length of the shared dimension.</param>
    /// <param name="transpose">Which operand is stored transposed.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="threads">Upper bound on worker threads; 1 runs on the calling thread.</param>
    public static void Multiply(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int n, int k, Transpose transpose, bool accumulate = false, int threads = 1)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "Matrix dimensions must not be negative.");
        if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} values; needs {(long)m * k}.", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} values; needs {(long)k * n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} values; needs {(long)m * n}.", nameof(c));

        RowPartition.Run(m, (long)n * k, threads, (start, end) => MultiplyRows(a, b, c, m, n, k, transpose, accumulate, start, end));
    }

    private static void MultiplyRows(ReadOnlyMemory<float> am, ReadOnlyMemory<float> bm, Memory<float> cm, int m, int n, int k, Transpose transpose, bool accumulate, int start, int end)
    {
        ReadOnlySpan<float> a = am.Span, b = bm.Span;
        Span<float> c = cm.Span;
        for (int i = start; i < end; i++)
        {
            Span<float> ci = c.Slice(i * n, n);
            if (!accumulate) ci.Clear();
            switch (transpose)
            {
                case Transpose.None:
                    for (int p = 0; p < k; p++)
                    {
                        float aip = a[i * k + p];
                        if (aip != 0f) TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, ci, ci);
                    }
                    break;
                case Transpose.A:
                    for (int p = 0; p < k; p++)
                    {
                        float api = a[p * m + i];
                        if (api != 0f) TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), api, ci, ci);
                    }
                    break;
                default:
                    ReadOnlySpan<float> ai = a.Slice(i * k, k);
                    for (int j = 0; j < n; j++) ci[j] += TensorPrimitives.Dot(ai, b.Slice(j * k, k));
                    break;
            }
        }
    }
}
