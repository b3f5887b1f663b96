namespace MLNetNN.Activations;

/// <summary>
/// Softplus: <c>f(z) = ln(1 + e^z)</c>, computed as <c>max(z, 0) + ln(1 + e^−|z|)</c> so large |z| neither overflows nor loses precision;
/// <c>f'(z) = σ(z)</c>.
/// </summary>
public sealed class Softplus : Activation
{
    internal static readonly Softplus Instance = new();

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.Softplus;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        for (int i = 0; i < z.Length; i++) a[i] = Value(z[i]);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        for (int i = 0; i < z.Length; i++) gradZ[i] = gradA[i] * Derivative(z[i]);
    }

    /// <inheritdoc/>
    public override float Value(float z) => MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)));

    /// <inheritdoc/>
    public override float Derivative(float z) => 1f / (1f + MathF.Exp(-z));
}
