using System.Numerics;
using System.Numerics.Tensors;
using MLNetNN.Numerics;

namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>The vector operations of the solver over flat float buffers.</summary>
internal static class FlatVector
{
    /// <summary>
    /// <c>a·b</c> accumulated in double: the curvature <c>sᵀy</c> is a small difference of large sums near a minimum, where a float
    /// sum over many parameters would lose it. The summation order is fixed, so the same inputs give the same bits.
    /// </summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vectors of {a.Length} and {b.Length} values.");
        int i = 0;
        var low = Vector<double>.Zero;
        var high = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(a.Slice(i)), out var aLow, out var aHigh);
                Vector.Widen(new Vector<float>(b.Slice(i)), out var bLow, out var bHigh);
                low += aLow * bLow;
                high += aHigh * bHigh;
            }
        }
        double sum = Vector.Sum(low + high);
        for (; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary><c>max |xᵢ|</c> (NaN if any value is NaN).</summary>
    public static double MaxAbs(ReadOnlySpan<float> x) => x.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));

    /// <summary><c>destination ← x + a·y</c> (destination may be x).</summary>
    public static void AddScaled(ReadOnlySpan<float> x, double a, ReadOnlySpan<float> y, Span<float> destination)
    {
        foreach (Range r in CacheSlices.Of(x.Length)) TensorPrimitives.MultiplyAdd(y[r], (float)a, x[r], destination[r]);
    }

    /// <summary><c>destination ← x − y</c>.</summary>
    public static void Subtract(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        foreach (Range r in CacheSlices.Of(x.Length)) TensorPrimitives.Subtract(x[r], y[r], destination[r]);
    }

    /// <summary><c>x ← a·x</c>.</summary>
    public static void Scale(Span<float> x, double a)
    {
        foreach (Range r in CacheSlices.Of(x.Length)) TensorPrimitives.Multiply(x[r], (float)a, x[r]);
    }

    /// <summary>Whether every value is finite.</summary>
    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        foreach (float v in x) if (!float.IsFinite(v)) return false;
        return true;
    }
}
