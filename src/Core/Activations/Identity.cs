namespace MLNetNN.Activations;

/// <summary>Identity: <c>f(z) = z</c>, <c>f'(z) = 1</c>. The output activation for regression.</summary>
public sealed class Identity : Activation
{
    internal static readonly Identity Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.Identity;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        z.CopyTo(a);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width) => gradA.CopyTo(gradZ);

    /// <inheritdoc/>
    public override float Value(float z) => z;

    /// <inheritdoc/>
    public override float Derivative(float z) => 1f;
}
