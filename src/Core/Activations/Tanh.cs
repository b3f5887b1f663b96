using System.Numerics.Tensors;

using MLNetNN.Numerics;

namespace MLNetNN.Activations;

/// <summary>Hyperbolic tangent: <c>f(z) = tanh z</c>, <c>f'(z) = 1 − tanh² z</c>.</summary>
public sealed class Tanh : Activation
{
    internal static readonly Tanh Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.Tanh;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        foreach (Range r in CacheSlices.Of(z.Length)) TensorPrimitives.Tanh(z[r], a[r]);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        for (int i = 0; i < a.Length; i++) gradZ[i] = gradA[i] * (1f - a[i] * a[i]);
    }

    /// <inheritdoc/>
    public override float Value(float z) => MathF.Tanh(z);

    /// <inheritdoc/>
    public override float Derivative(float z)
    {
        float t = MathF.Tanh(z);
        return 1f - t * t;
    }
}
