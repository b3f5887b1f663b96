using MLNetNN.Activations;

namespace MLNetNN.Losses;

/// <summary>
/// A loss fused with its output activation: from the output layer's pre-activations <c>z</c> and activations <c>a = f(z)</c>
/// it computes the per-example losses and, in one pass, <c>∂ℓ/∂z</c>, which is where backpropagation starts.
/// Fusing matters for stability (log-sum-exp, cross-entropy from logits) and for speed (the gradient becomes <c>a − y</c>).
/// </summary>
public abstract class Loss
{
    /// <summary>Which loss this is.</summary>
    public abstract LossKind Kind { get; }

    /// <summary>
    /// Weighted loss sum <c>Σ_i w_i ℓ_i</c> over <paramref name="rows"/> examples, and, unless <paramref name="gradLogits"/> is empty,
    /// <c>gradLogits[i] = gradScale · w_i · ∂ℓ_i/∂z_i</c>.
    /// </summary>
    /// <param name="logits">Output pre-activations, rows × width.</param>
    /// <param name="outputs">Output activations, rows × width.</param>
    /// <param name="labels">Class indices (one per row) for classification, rows × width targets for regression.</param>
    /// <param name="weights">Example weights, or empty for all 1.</param>
    /// <param name="rows">Examples in the batch.</param>
    /// <param name="width">Output units.</param>
    /// <param name="gradLogits">Where the gradient goes (rows × width), or empty to compute the loss only.</param>
    /// <param name="gradScale">Factor applied to the gradient, normally <c>1 / Σ w</c>.</param>
    public abstract double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int rows, int width, Span<float> gradLogits, float gradScale);

    /// <summary>Values per label row this loss reads: 1 (a class index) for classification, the output width for regression.</summary>
    public abstract int LabelWidth(int outputWidth);

    /// <summary>The loss for an output layer with the given activation; classification losses require their own activation.</summary>
    public static Loss Create(LossKind kind, Activation outputActivation) => kind switch
    {
        LossKind.BinaryCrossEntropy => outputActivation.Kind == ActivationKind.Sigmoid
            ? new SigmoidBinaryCrossEntropy()
            : throw new ArgumentException($"Binary cross-entropy is computed on a sigmoid output, not {outputActivation.Kind}."),
        LossKind.CategoricalCrossEntropy => outputActivation.Kind == ActivationKind.Softmax
            ? new SoftmaxCrossEntropy()
            : throw new ArgumentException($"Categorical cross-entropy is computed on a softmax output, not {outputActivation.Kind}."),
        LossKind.MeanSquaredError => outputActivation.Kind is ActivationKind.Softmax or ActivationKind.Step
            ? throw new ArgumentException($"Mean squared error needs an element-wise differentiable output activation, not {outputActivation.Kind}.")
            : new MeanSquaredError(outputActivation),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss."),
    };

    /// <summary>Weight of example <paramref name="row"/>: 1 when no weights are given.</summary>
    protected static float WeightOf(ReadOnlySpan<float> weights, int row) => weights.IsEmpty ? 1f : weights[row];
}
