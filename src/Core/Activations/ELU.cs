namespace MLNetNN.Activations;

/// <summary>
/// Exponential linear unit: <c>f(z) = z if z &gt; 0 else α·(e^z − 1)</c>, <c>f'(z) = 1 if z &gt; 0 else f(z) + α</c>.
/// </summary>
public sealed class ELU : Activation
{
    /// <summary>The scale of the negative part when none is given (as in Keras and PyTorch).</summary>
    public const float DefaultAlpha = 1f;

    private readonly float _alpha;

    /// <summary>ELU with scale <paramref name="alpha"/> for negative inputs.</summary>
    public ELU(float alpha = DefaultAlpha)
    {
        if (!float.IsFinite(alpha) || alpha < 0f) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ELU α must be finite and non-negative.");
        _alpha = alpha;
    }

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.ELU;

    /// <inheritdoc/>
    public override float Alpha => _alpha;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        for (int i = 0; i < z.Length; i++) a[i] = Value(z[i]);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        // For z ≤ 0, f'(z) = α·e^z = f(z) + α, so the forward output saves an exponential.
        for (int i = 0; i < z.Length; i++) gradZ[i] = z[i] > 0f ? gradA[i] : gradA[i] * (a[i] + _alpha);
    }

    /// <inheritdoc/>
    public override float Value(float z) => z > 0f ? z : _alpha * (MathF.Exp(z) - 1f);

    /// <inheritdoc/>
    public override float Derivative(float z) => z > 0f ? 1f : _alpha * MathF.Exp(z);
}
