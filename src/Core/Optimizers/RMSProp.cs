using MLNetNN.Networks;

namespace MLNetNN.Optimizers;

/// <summary>RMSProp: <c>s ← ρ·s + (1−ρ)·g²</c>, <c>θ ← θ − lr · g / (√s + ε)</c>.</summary>
public sealed class RMSProp : IOptimizer
{
    private readonly float _rho, _epsilon;
    private float[] _s = [];

    /// <summary>RMSProp with decay rate <paramref name="rho"/> for the running mean of squared gradients.</summary>
    public RMSProp(float rho = 0.9f, float epsilon = 1e-7f)
    {
        if (!(rho >= 0f && rho < 1f)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be in [0, 1).");
        if (!(epsilon > 0f)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        (_rho, _epsilon) = (rho, epsilon);
    }

    /// <inheritdoc/>
    public OptimizerKind Kind => OptimizerKind.RMSProp;

    /// <inheritdoc/>
    public void Initialize(ParameterLayout layout) => _s = new float[layout.Count];

    /// <inheritdoc/>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        Span<float> s = _s;
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            s[i] = _rho * s[i] + (1f - _rho) * g * g;
            parameters[i] -= learningRate * g / (MathF.Sqrt(s[i]) + _epsilon);
        }
    }
}
