namespace MLNetNN.Losses;

/// <summary>
/// Binary cross-entropy on a single sigmoid output, computed from the logit <c>z</c> so it never takes the log of 0:
/// <c>ℓ = −y ln σ(z) − (1 − y) ln(1 − σ(z)) = max(z, 0) − z·y + ln(1 + e^−|z|)</c>; <c>∂ℓ/∂z = σ(z) − y</c>.
/// Labels are 0 or 1 (any value in [0, 1] is accepted as a soft target).
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override LossKind Kind => LossKind.BinaryCrossEntropy;

    /// <inheritdoc/>
    public override int LabelWidth(int outputWidth) => 1;

    /// <inheritdoc/>
    public override double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int rows, int width, Span<float> gradLogits, float gradScale)
    {
        if (width != 1) throw new ArgumentException($"Binary cross-entropy needs one output unit, not {width}.");
        double sum = 0;
        for (int i = 0; i < rows; i++)
        {
            float z = logits[i], y = labels[i], w = WeightOf(weights, i);
            sum += w * (MathF.Max(z, 0f) - z * y + MathF.Log(1f + MathF.Exp(-MathF.Abs(z))));
            if (!gradLogits.IsEmpty) gradLogits[i] = gradScale * w * (outputs[i] - y);
        }
        return sum;
    }
}
