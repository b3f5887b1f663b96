namespace MLNetNN.Activations;

/// <summary>
/// Heaviside step: <c>f(z) = 1 if z ≥ 0 else 0</c>, <c>f'(z) = 0</c> (undefined at 0).
/// The classic perceptron's activation: use it for inference or with <see cref="Training.PerceptronTrainer"/>;
/// gradient descent cannot train through it, and the trainer refuses to try.
/// </summary>
public sealed class Step : Activation
{
    internal static readonly Step Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.Step;

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        for (int i = 0; i < z.Length; i++) a[i] = z[i] >= 0f ? 1f : 0f;
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width) => gradZ.Slice(0, z.Length).Clear();

    /// <inheritdoc/>
    public override float Value(float z) => z >= 0f ? 1f : 0f;

    /// <inheritdoc/>
    public override float Derivative(float z) => 0f;
}
