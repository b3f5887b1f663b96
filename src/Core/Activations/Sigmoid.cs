using System.Numerics;
using System.Numerics.Tensors;

using MLNetNN.Numerics;

namespace MLNetNN.Activations;

/// <summary>Logistic sigmoid: <c>σ(z) = 1 / (1 + e^−z)</c>, <c>σ'(z) = σ(z)(1 − σ(z))</c>.</summary>
public sealed class Sigmoid : Activation
{
    internal static readonly Sigmoid Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.Sigmoid;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        foreach (Range r in CacheSlices.Of(z.Length)) TensorPrimitives.Sigmoid(z[r], a[r]);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        // dz = da · a · (1 − a): from the forward output, so no exponential is recomputed.
        CheckLengths(a.Length, gradZ.Length);
        CheckLengths(gradA.Length, gradZ.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var ai = new Vector<float>(a.Slice(i));
                (new Vector<float>(gradA.Slice(i)) * ai * (one - ai)).CopyTo(gradZ.Slice(i));
            }
        }
        for (; i < a.Length; i++) gradZ[i] = gradA[i] * a[i] * (1f - a[i]);
    }

    /// <inheritdoc/>
    public override float Value(float z) => 1f / (1f + MathF.Exp(-z));

    /// <inheritdoc/>
    public override float Derivative(float z)
    {
        float s = Value(z);
        return s * (1f - s);
    }
}
