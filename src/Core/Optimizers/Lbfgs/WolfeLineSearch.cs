namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>
/// A line search for a step α along a descent direction d that meets the strong Wolfe conditions
/// <c>f(x + αd) ≤ f(x) + c₁·α·∇f(x)·d</c> (sufficient decrease) and <c>|∇f(x + αd)·d| ≤ c₂·|∇f(x)·d|</c> (curvature):
/// Nocedal and Wright's Algorithm 3.5 (widen the step until a bracket holds an acceptable one) and 3.6 ("zoom": shrink the
/// bracket by safeguarded cubic interpolation). The curvature condition keeps <c>sᵀy &gt; 0</c>, which L-BFGS's update needs.
/// </summary>
/// <remarks>
/// A trial point where f or the slope is NaN or infinite counts as a step too long, so the search backs away from overflow.
/// The last point evaluated is left in the caller's buffers; when the search converged that is the accepted point.
/// </remarks>
public sealed class WolfeLineSearch
{
    /// <summary>Widening factor of the bracketing phase.</summary>
    private const double Expansion = 2;

    /// <summary>Interpolated steps are kept this share of the bracket's width away from its ends, so the bracket shrinks.</summary>
    private const double Safeguard = 0.1;

    /// <summary>A line search with the given constants, <c>0 &lt; c₁ &lt; c₂ &lt; 1</c> (defaults: 1e-4 and 0.9, the usual pair for quasi-Newton methods).</summary>
    public WolfeLineSearch(double c1 = 1e-4, double c2 = 0.9)
    {
        if (!(c1 > 0 && c1 < 1)) throw new ArgumentOutOfRangeException(nameof(c1), c1, "c₁ must be in (0, 1).");
        if (!(c2 > c1 && c2 < 1)) throw new ArgumentOutOfRangeException(nameof(c2), c2, "c₂ must be in (c₁, 1).");
        (C1, C2) = (c1, c2);
    }

    /// <summary>The sufficient-decrease constant c₁.</summary>
    public double C1 { get; }

    /// <summary>The curvature constant c₂.</summary>
    public double C2 { get; }

    /// <summary>
    /// Searches along <paramref name="direction"/> from <paramref name="start"/>, where f is <paramref name="value"/> and its slope
    /// <c>∇f·d</c> is <paramref name="slope"/>, trying <paramref name="initialStep"/> first and evaluating at most
    /// <paramref name="maxEvaluations"/> times. Each trial point goes into <paramref name="point"/> and its gradient into
    /// <paramref name="gradient"/>; after a converged search they hold the accepted point.
    /// </summary>
    public LineSearchResult Search(IDifferentiableFunction function, ReadOnlySpan<float> start, double value, double slope,
        ReadOnlySpan<float> direction, double initialStep, Span<float> point, Span<float> gradient, int maxEvaluations,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (direction.Length != start.Length || point.Length != start.Length || gradient.Length != start.Length)
            throw new ArgumentException($"The start has {start.Length} values; the direction {direction.Length}, the point {point.Length} and the gradient {gradient.Length}.");
        if (!(initialStep > 0) || double.IsInfinity(initialStep)) throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "The first step must be positive and finite.");
        if (!(slope < 0)) return new LineSearchResult(LineSearchOutcome.NotDescentDirection, 0, value, slope, 0);

        var trial = new Trial(function, start, direction, point, gradient, maxEvaluations, cancellationToken);
        double previousStep = 0, previousValue = value, previousSlope = slope;
        double step = initialStep;
        for (int i = 0; ; i++)
        {
            if (!trial.Evaluate(step, out double f, out double g, out var stopped)) return stopped;
            if (!double.IsFinite(f) || !double.IsFinite(g) || f > value + C1 * step * slope || (i > 0 && f >= previousValue))
                return Zoom(ref trial, value, slope, previousStep, previousValue, previousSlope, step, f, g);
            if (Math.Abs(g) <= -C2 * slope) return trial.Result(LineSearchOutcome.Converged, step, f, g);
            if (g >= 0) return Zoom(ref trial, value, slope, step, f, g, previousStep, previousValue, previousSlope);
            (previousStep, previousValue, previousSlope) = (step, f, g);
            step *= Expansion;
            if (double.IsInfinity(step)) return trial.Result(LineSearchOutcome.NoProgress, previousStep, previousValue, previousSlope);
        }
    }

    /// <summary>
    /// Algorithm 3.6: <c>low</c> satisfies sufficient decrease and has the lowest f seen in the bracket; the bracket between
    /// <c>low</c> and <c>high</c> holds a step meeting the strong Wolfe conditions.
    /// </summary>
    private LineSearchResult Zoom(ref Trial trial, double value, double slope,
        double low, double lowValue, double lowSlope, double high, double highValue, double highSlope)
    {
        while (true)
        {
            double width = Math.Abs(high - low);
            // The bracket is below what the float point can resolve: x + αd no longer changes between its ends.
            if (width <= 1e-12 * Math.Max(Math.Abs(low), Math.Abs(high)) || width == 0)
                return trial.Result(LineSearchOutcome.NoProgress, low, lowValue, lowSlope);
            double step = Interpolate(low, lowValue, lowSlope, high, highValue, highSlope);
            double margin = Safeguard * width, lower = Math.Min(low, high) + margin, upper = Math.Max(low, high) - margin;
            if (!(step >= lower && step <= upper)) step = 0.5 * (low + high);
            if (!trial.Evaluate(step, out double f, out double g, out var stopped)) return stopped;
            if (!double.IsFinite(f) || !double.IsFinite(g) || f > value + C1 * step * slope || f >= lowValue)
            {
                (high, highValue, highSlope) = (step, f, g);
                continue;
            }
            if (Math.Abs(g) <= -C2 * slope) return trial.Result(LineSearchOutcome.Converged, step, f, g);
            if (g * (high - low) >= 0) (high, highValue, highSlope) = (low, lowValue, lowSlope);
            (low, lowValue, lowSlope) = (step, f, g);
        }
    }

    /// <summary>
    /// The minimiser of the cubic matching f and its slope at both ends (Nocedal and Wright, eq. 3.59); NaN when the cubic has
    /// none or an end is not finite, which the caller replaces by bisection.
    /// </summary>
    internal static double Interpolate(double a, double fa, double ga, double b, double fb, double gb)
    {
        if (!double.IsFinite(fb) || !double.IsFinite(gb)) return double.NaN;
        double d1 = ga + gb - 3 * (fa - fb) / (a - b);
        double radicand = d1 * d1 - ga * gb;
        if (radicand < 0) return double.NaN;
        double d2 = Math.CopySign(Math.Sqrt(radicand), b - a);
        return b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
    }

    /// <summary>Evaluates trial steps into the caller's buffers and counts them against the budget.</summary>
    private ref struct Trial(IDifferentiableFunction function, ReadOnlySpan<float> start, ReadOnlySpan<float> direction,
        Span<float> point, Span<float> gradient, int maxEvaluations, CancellationToken cancellationToken)
    {
        private readonly ReadOnlySpan<float> _start = start, _direction = direction;
        private readonly Span<float> _point = point, _gradient = gradient;
        private int _evaluations;

        public bool Evaluate(double step, out double value, out double slope, out LineSearchResult stopped)
        {
            (value, slope, stopped) = (double.NaN, double.NaN, default);
            if (cancellationToken.IsCancellationRequested)
            {
                stopped = Result(LineSearchOutcome.Cancelled, step, value, slope);
                return false;
            }
            if (_evaluations >= maxEvaluations)
            {
                stopped = Result(LineSearchOutcome.MaxEvaluations, step, value, slope);
                return false;
            }
            FlatVector.AddScaled(_start, step, _direction, _point);
            _evaluations++;
            value = function.ValueAndGradient(_point, _gradient);
            slope = FlatVector.Dot(_gradient, _direction);
            return true;
        }

        public readonly LineSearchResult Result(LineSearchOutcome outcome, double step, double value, double slope) =>
            new(outcome, step, value, slope, _evaluations);
    }
}
