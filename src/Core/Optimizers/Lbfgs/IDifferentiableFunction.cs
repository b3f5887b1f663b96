namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>A smooth function of a vector that gives its gradient along with its value, as a quasi-Newton solver needs.</summary>
public interface IDifferentiableFunction
{
    /// <summary>
    /// Returns <c>f(x)</c> and writes <c>∇f(x)</c> into <paramref name="gradient"/> (as long as <paramref name="x"/>).
    /// A value that is NaN or infinite marks <paramref name="x"/> as outside the function's usable domain.
    /// </summary>
    double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient);
}
