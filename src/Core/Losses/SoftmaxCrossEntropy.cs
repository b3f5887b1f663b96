using System.Numerics.Tensors;

namespace MLNetNN.Losses;

/// <summary>
/// Categorical cross-entropy on a softmax output, with the class index <c>c</c> as label:
/// <c>ℓ = −ln a_c = ln Σ_j e^{z_j} − z_c</c>, computed with the log-sum-exp shift by <c>max z</c>;
/// <c>∂ℓ/∂z_j = a_j − [j = c]</c>.
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override LossKind Kind => LossKind.CategoricalCrossEntropy;

    /// <inheritdoc/>
    public override int LabelWidth(int outputWidth) => 1;

    /// <inheritdoc/>
    public override double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int rows, int width, Span<float> gradLogits, float gradScale)
    {
        if (width < 2) throw new ArgumentException($"Categorical cross-entropy needs at least two output units, not {width}.");
        double sum = 0;
        // The exponentials go through TensorPrimitives a slice at a time (vectorised, and no allocation whatever the width):
        // a scalar double exp per output was a few per cent of a small network's epoch.
        Span<float> shifted = stackalloc float[Math.Min(width, 64)];
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> z = logits.Slice(i * width, width);
            int c = (int)labels[i];
            if ((uint)c >= (uint)width) throw new ArgumentException($"Label {labels[i]} of batch row {i} is not a class index in 0..{width - 1}.");
            float w = WeightOf(weights, i);
            float max = TensorPrimitives.Max(z);
            double sumExp = 0;
            for (int j = 0; j < width; j += shifted.Length)
            {
                Span<float> e = shifted[..Math.Min(shifted.Length, width - j)];
                TensorPrimitives.Subtract(z.Slice(j, e.Length), max, e);
                TensorPrimitives.Exp(e, e);
                sumExp += TensorPrimitives.Sum(e);
            }
            sum += w * (Math.Log(sumExp) + max - z[c]);
            if (!gradLogits.IsEmpty)
            {
                Span<float> g = gradLogits.Slice(i * width, width);
                TensorPrimitives.Multiply(outputs.Slice(i * width, width), gradScale * w, g);
                g[c] -= gradScale * w;
            }
        }
        return sum;
    }
}
