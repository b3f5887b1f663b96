using System.Numerics;
using System.Numerics.Tensors;

using MLNetNN.Numerics;

namespace MLNetNN.Activations;

/// <summary>Rectified linear unit: <c>f(z) = max(0, z)</c>, <c>f'(z) = 1 if z &gt; 0 else 0</c>.</summary>
public sealed class ReLU : Activation
{
    internal static readonly ReLU Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.ReLU;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        foreach (Range r in CacheSlices.Of(z.Length)) TensorPrimitives.Max(z[r], 0f, a[r]);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        CheckLengths(z.Length, gradZ.Length);
        CheckLengths(gradA.Length, gradZ.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= z.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<float>(z.Slice(i)), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(gradA.Slice(i)), Vector<float>.Zero).CopyTo(gradZ.Slice(i));
            }
        }
        for (; i < z.Length; i++) gradZ[i] = z[i] > 0f ? gradA[i] : 0f;
    }

    /// <inheritdoc/>
    public override float Value(float z) => MathF.Max(0f, z);

    /// <inheritdoc/>
    public override float Derivative(float z) => z > 0f ? 1f : 0f;
}
