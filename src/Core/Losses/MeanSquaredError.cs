using MLNetNN.Activations;

namespace MLNetNN.Losses;

/// <summary>
/// Mean squared error over the K outputs of an example: <c>ℓ = (1/K) Σ_j (a_j − y_j)²</c>, <c>∂ℓ/∂a_j = 2(a_j − y_j)/K</c>,
/// then through the output activation (identity for ordinary regression, so <c>∂ℓ/∂z = ∂ℓ/∂a</c>).
/// </summary>
public sealed class MeanSquaredError : Loss
{
    private readonly Activation _output;

    /// <summary>MSE on outputs produced by <paramref name="outputActivation"/> (element-wise).</summary>
    public MeanSquaredError(Activation outputActivation) => _output = outputActivation;

    /// <inheritdoc/>
    public override LossKind Kind => LossKind.MeanSquaredError;

    /// <inheritdoc/>
    public override int LabelWidth(int outputWidth) => outputWidth;

    /// <inheritdoc/>
    public override double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int rows, int width, Span<float> gradLogits, float gradScale)
    {
        double sum = 0;
        float perOutput = 1f / width;
        for (int i = 0; i < rows; i++)
        {
            float w = WeightOf(weights, i);
            double rowSum = 0;
            for (int j = 0; j < width; j++)
            {
                int at = i * width + j;
                float diff = outputs[at] - labels[at];
                rowSum += diff * diff;
                if (!gradLogits.IsEmpty) gradLogits[at] = gradScale * w * 2f * diff * perOutput;
            }
            sum += w * rowSum * perOutput;
        }
        if (!gradLogits.IsEmpty && _output.Kind != ActivationKind.Identity)
        {
            int n = rows * width;
            _output.Backward(logits.Slice(0, n), outputs.Slice(0, n), gradLogits.Slice(0, n), gradLogits.Slice(0, n), width);
        }
        return sum;
    }
}
