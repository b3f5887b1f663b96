using System.Numerics.Tensors;

namespace MLNetNN.Losses;

/// <summary>
/// Categorical cross-entropy on a softmax output, with the class index <c>c</c> as label:
/// <c>ℓ = −ln a_c = ln Σ_j e^{z_j} − z_c</c>; <c>∂ℓ/∂z_j = a_j − [j = c]</c>.
/// </summary>
/// <remarks>
/// The forward pass has already computed <c>a_c</c>, so the loss is <c>−ln a_c</c> without another exponential. Only where
/// <c>a_c</c> is too small for its logarithm to keep float precision (or is 0 or NaN) is the row's loss computed from the
/// logits as <c>ln Σ_j e^{z_j − max z} + max z − z_c</c>, which stays finite where <c>a_c</c> underflows.
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <summary>Below this probability, <c>−ln a_c</c> is computed from the logits (float keeps full relative precision down to 2⁻¹²⁶ ≈ 1.2e−38).</summary>
    private const float SmallestProbabilityUsed = 1e-30f;

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
        bool gradient = !gradLogits.IsEmpty;
        // Unweighted rows share one scale, so the gradient's a·scale is one call for the batch rather than one per row.
        if (gradient && weights.IsEmpty) TensorPrimitives.Multiply(outputs[..(rows * width)], gradScale, gradLogits[..(rows * width)]);
        for (int i = 0; i < rows; i++)
        {
            int c = (int)labels[i];
            if ((uint)c >= (uint)width) throw new ArgumentException($"Label {labels[i]} of batch row {i} is not a class index in 0..{width - 1}.");
            float w = WeightOf(weights, i);
            float probability = outputs[i * width + c];
            sum += w * (probability >= SmallestProbabilityUsed ? -Math.Log(probability) : LogSumExp(logits.Slice(i * width, width)) - logits[i * width + c]);
            if (!gradient) continue;
            if (!weights.IsEmpty) TensorPrimitives.Multiply(outputs.Slice(i * width, width), gradScale * w, gradLogits.Slice(i * width, width));
            gradLogits[i * width + c] -= gradScale * w;
        }
        return sum;
    }

    /// <summary><c>ln Σ_j e^{z_j}</c>, shifted by <c>max z</c> so no exponential overflows.</summary>
    private static double LogSumExp(ReadOnlySpan<float> z)
    {
        float max = TensorPrimitives.Max(z);
        double sumExp = 0;
        foreach (float value in z) sumExp += Math.Exp(value - max);
        return Math.Log(sumExp) + max;
    }
}
