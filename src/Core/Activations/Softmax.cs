using System.Numerics.Tensors;

namespace MLNetNN.Activations;

/// <summary>
/// Softmax over each row: <c>a_i = e^{z_i − max z} / Σ_j e^{z_j − max z}</c> (shifted by the row maximum so no exponential overflows;
/// a row with +∞ logits gets its limit, the probability shared among them).
/// Jacobian-vector product: <c>dz_i = a_i · (da_i − Σ_j da_j a_j)</c>.
/// As an output layer it is fused with cross-entropy (<see cref="Losses.SoftmaxCrossEntropy"/>), whose gradient is simply <c>a − y</c>.
/// </summary>
public sealed class Softmax : Activation
{
    internal static readonly Softmax Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.Softmax;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        CheckWidth(z.Length, width);
        for (int r = 0; r < z.Length; r += width)
        {
            ReadOnlySpan<float> zr = z.Slice(r, width);
            Span<float> ar = a.Slice(r, width);
            float max = TensorPrimitives.Max(zr);
            if (float.IsPositiveInfinity(max))
            {
                // ∞ − ∞ would be NaN; the limit shares the probability among the +∞ logits, as sigmoid(+∞) is 1.
                for (int j = 0; j < width; j++) ar[j] = float.IsPositiveInfinity(zr[j]) ? 1f : 0f;
                TensorPrimitives.Divide(ar, TensorPrimitives.Sum(ar), ar);
                continue;
            }
            TensorPrimitives.Subtract(zr, max, ar);
            TensorPrimitives.Exp(ar, ar);
            TensorPrimitives.Divide(ar, TensorPrimitives.Sum(ar), ar);
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        CheckWidth(z.Length, width);
        for (int r = 0; r < a.Length; r += width)
        {
            ReadOnlySpan<float> ar = a.Slice(r, width);
            float dot = TensorPrimitives.Dot(gradA.Slice(r, width), ar);
            Span<float> gz = gradZ.Slice(r, width);
            TensorPrimitives.Subtract(gradA.Slice(r, width), dot, gz);
            TensorPrimitives.Multiply(gz, ar, gz);
        }
    }

    /// <summary>Softmax of a single value is always 1; use <see cref="Forward"/> on whole rows.</summary>
    public override float Value(float z) => 1f;

    /// <summary>The derivative of a one-element softmax is 0; use <see cref="Backward"/> on whole rows.</summary>
    public override float Derivative(float z) => 0f;

    private static void CheckWidth(int length, int width)
    {
        if (width <= 0 || length % width != 0)
            throw new ArgumentException($"Softmax works on whole rows: {length} values do not split into rows of {width}.");
    }
}
