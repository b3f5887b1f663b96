namespace MLNetNN.Activations;

/// <summary>Leaky ReLU: <c>f(z) = z if z &gt; 0 else α·z</c>, <c>f'(z) = 1 if z &gt; 0 else α</c>.</summary>
public sealed class LeakyReLU : Activation
{
    /// <summary>The slope for negative inputs when none is given (Keras and PyTorch use 0.01 too).</summary>
    public const float DefaultAlpha = 0.01f;

    private readonly float _alpha;

    /// <summary>Leaky ReLU with slope <paramref name="alpha"/> for negative inputs.</summary>
    public LeakyReLU(float alpha = DefaultAlpha)
    {
        if (!float.IsFinite(alpha) || alpha < 0f) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Leaky ReLU slope must be finite and non-negative.");
        _alpha = alpha;
    }

    /// <inheritdoc/>
    public override ActivationKind Kind => ActivationKind.LeakyReLU;

    /// <inheritdoc/>
    public override float Alpha => _alpha;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
    {
        CheckLengths(z.Length, a.Length);
        for (int i = 0; i < z.Length; i++) a[i] = z[i] > 0f ? z[i] : _alpha * z[i];
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> gradA, Span<float> gradZ, int width)
    {
        for (int i = 0; i < z.Length; i++) gradZ[i] = z[i] > 0f ? gradA[i] : _alpha * gradA[i];
    }

    /// <inheritdoc/>
    public override float Value(float z) => z > 0f ? z : _alpha * z;

    /// <inheritdoc/>
    public override float Derivative(float z) => z > 0f ? 1f : _alpha;
}
