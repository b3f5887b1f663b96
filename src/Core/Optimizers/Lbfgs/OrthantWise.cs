namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>
/// The pieces that turn L-BFGS into OWL-QN (Andrew and Gao, 2007, "Scalable training of L1-regularized log-linear models") for
/// <c>F(x) = f(x) + Σ λᵢ|xᵢ|</c> with f smooth: the pseudo-gradient (the steepest-descent slope of F, which the kink of |x| at 0
/// makes one-sided), the direction kept to the pseudo-gradient's orthant, and a backtracking search that never lets a
/// coordinate cross zero within a step (it stops at 0 instead, which is how L1 makes weights exactly zero).
/// </summary>
internal static class OrthantWise
{
    /// <summary><c>Σ λᵢ|xᵢ|</c>.</summary>
    public static double Penalty(ReadOnlySpan<float> x, ReadOnlySpan<float> strength)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (double)strength[i] * Math.Abs(x[i]);
        return sum;
    }

    /// <summary>
    /// The pseudo-gradient of F from f's gradient: <c>gᵢ + λᵢ·sign(xᵢ)</c> away from 0; at <c>xᵢ = 0</c>, the one-sided derivative
    /// that descends (<c>gᵢ + λᵢ</c> if negative, <c>gᵢ − λᵢ</c> if positive), or 0 when |gᵢ| ≤ λᵢ and no direction descends.
    /// </summary>
    public static void PseudoGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> gradient, ReadOnlySpan<float> strength, Span<float> pseudo)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float g = gradient[i], l = strength[i];
            pseudo[i] = x[i] > 0 ? g + l
                : x[i] < 0 ? g - l
                : g + l < 0 ? g + l
                : g - l > 0 ? g - l
                : 0;
        }
    }

    /// <summary>Zeroes each component of the direction whose sign disagrees with the steepest descent <c>−pseudo</c>.</summary>
    public static void ConstrainDirection(Span<float> direction, ReadOnlySpan<float> pseudo)
    {
        for (int i = 0; i < direction.Length; i++)
            if (direction[i] * pseudo[i] >= 0) direction[i] = 0;
    }

    /// <summary>
    /// Backtracking from <paramref name="initialStep"/>, halving, until <c>F(p) ≤ F(x₀) + c₁·◇F·(p − x₀)</c> for the projected point
    /// <c>p = π(x₀ + αd)</c>, where π sets to 0 each penalised coordinate that left the orthant of x₀ (or, for a coordinate at 0,
    /// the orthant of the steepest descent). Leaves the last point tried and f's gradient there in the buffers; the result's value
    /// is F there, its slope NaN (the search has no curvature condition).
    /// </summary>
    public static LineSearchResult Search(IDifferentiableFunction function, ReadOnlySpan<float> start, double value,
        ReadOnlySpan<float> pseudo, ReadOnlySpan<float> direction, ReadOnlySpan<float> strength, double initialStep, double c1,
        Span<float> point, Span<float> gradient, int maxEvaluations, CancellationToken cancellationToken)
    {
        double step = initialStep;
        for (int evaluations = 0; ; evaluations++, step *= 0.5)
        {
            if (cancellationToken.IsCancellationRequested) return new(LineSearchOutcome.Cancelled, step, double.NaN, double.NaN, evaluations);
            if (evaluations >= maxEvaluations) return new(LineSearchOutcome.MaxEvaluations, step, double.NaN, double.NaN, evaluations);
            FlatVector.AddScaled(start, step, direction, point);
            double decrease = 0;
            for (int i = 0; i < point.Length; i++)
            {
                if (strength[i] > 0)
                {
                    float orthant = start[i] != 0 ? MathF.Sign(start[i]) : -MathF.Sign(pseudo[i]);
                    if (point[i] * orthant <= 0) point[i] = 0;
                }
                decrease += (double)pseudo[i] * (point[i] - start[i]);
            }
            double f = function.ValueAndGradient(point, gradient) + Penalty(point, strength);
            if (double.IsFinite(f) && f <= value + c1 * decrease) return new(LineSearchOutcome.Converged, step, f, double.NaN, evaluations + 1);
            if (step * FlatVector.MaxAbs(direction) < 1e-20) return new(LineSearchOutcome.NoProgress, step, f, double.NaN, evaluations + 1);
        }
    }
}
