namespace MLNetNN.Optimizers.Lbfgs;

/// <summary>
/// Limited-memory BFGS (Nocedal, 1980; Liu and Nocedal, 1989): a quasi-Newton method that builds its search direction
/// <c>d = −H·∇f</c> from the last m steps <c>s = x_{k+1} − x_k</c> and gradient changes <c>y = ∇f_{k+1} − ∇f_k</c> by the two-loop
/// recursion, and steps along it by a <see cref="WolfeLineSearch"/>. Full batch and deterministic: the same function and start
/// give the same bits.
/// </summary>
/// <remarks>
/// <para>Stops as scipy's L-BFGS-B does (which scikit-learn's <c>solver='lbfgs'</c> calls): when every gradient component is within
/// <see cref="GradientTolerance"/>, when a step lowers f by no more than <see cref="FunctionTolerance"/> relative to f, or at the
/// limits on iterations and function evaluations. The first step, and any after the history is cleared, is scaled to length 1
/// (or the gradient's, if shorter); later ones try α = 1 first, since the two-loop direction carries the curvature's scale.</para>
/// <para>A pair with <c>sᵀy ≤ ε·yᵀy</c> is left out of the history (the update would lose positive definiteness). When the line
/// search fails, the history is cleared and the search retried once along the steepest descent, as L-BFGS-B does.</para>
/// <para>With an L1 term it runs as OWL-QN (see the <c>Minimize</c> overload that takes L1 strengths), the standard way to keep
/// L-BFGS's speed on an objective with <c>|x|</c>'s kink.</para>
/// <para>The buffers (m pairs of vectors plus four or five) are allocated once per run; iterations allocate nothing.</para>
/// </remarks>
public sealed class LbfgsMinimizer
{
    /// <summary>The history length scipy's L-BFGS-B uses by default.</summary>
    public const int DefaultHistorySize = 10;

    /// <summary>scipy's default <c>gtol</c>.</summary>
    public const double DefaultGradientTolerance = 1e-5;

    /// <summary>scipy's default <c>ftol</c>: <c>factr · ε</c> with factr = 10⁷ and ε the double's machine epsilon.</summary>
    public const double DefaultFunctionTolerance = 1e7 * MachineEpsilon;

    /// <summary>The distance from 1 to the next double.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>scipy's default <c>maxiter</c> and <c>maxfun</c>.</summary>
    public const int DefaultMaxIterations = 15000, DefaultMaxFunctionEvaluations = 15000;

    /// <summary>Evaluations one line search may use (scipy's <c>maxls</c>).</summary>
    public const int MaxLineSearchEvaluations = 20;

    private readonly WolfeLineSearch _lineSearch;

    /// <summary>A minimiser with the given history length, stopping rules and line search (strong Wolfe with c₁ = 1e-4, c₂ = 0.9 if none).</summary>
    public LbfgsMinimizer(int historySize = DefaultHistorySize, double gradientTolerance = DefaultGradientTolerance,
        double functionTolerance = DefaultFunctionTolerance, int maxIterations = DefaultMaxIterations,
        int maxFunctionEvaluations = DefaultMaxFunctionEvaluations, WolfeLineSearch? lineSearch = null)
    {
        if (historySize < 1) throw new ArgumentOutOfRangeException(nameof(historySize), historySize, "The history must hold at least one pair.");
        if (!(gradientTolerance >= 0) || double.IsInfinity(gradientTolerance)) throw new ArgumentOutOfRangeException(nameof(gradientTolerance), gradientTolerance, "The gradient tolerance must be finite and not negative.");
        if (!(functionTolerance >= 0) || double.IsInfinity(functionTolerance)) throw new ArgumentOutOfRangeException(nameof(functionTolerance), functionTolerance, "The function tolerance must be finite and not negative.");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "Allow at least one iteration.");
        if (maxFunctionEvaluations < 1) throw new ArgumentOutOfRangeException(nameof(maxFunctionEvaluations), maxFunctionEvaluations, "Allow at least one function evaluation.");
        (HistorySize, GradientTolerance, FunctionTolerance, MaxIterations, MaxFunctionEvaluations) =
            (historySize, gradientTolerance, functionTolerance, maxIterations, maxFunctionEvaluations);
        _lineSearch = lineSearch ?? new WolfeLineSearch();
    }

    /// <summary>m: the (s, y) pairs kept.</summary>
    public int HistorySize { get; }

    /// <summary>Stop when <c>max |∂f/∂xᵢ|</c> is at most this.</summary>
    public double GradientTolerance { get; }

    /// <summary>Stop when <c>(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)</c> is at most this.</summary>
    public double FunctionTolerance { get; }

    /// <summary>The most steps taken.</summary>
    public int MaxIterations { get; }

    /// <summary>The most function evaluations, line-search trials included.</summary>
    public int MaxFunctionEvaluations { get; }

    /// <summary>
    /// Minimises <paramref name="function"/> from the point in <paramref name="x"/>, leaving the best accepted point there.
    /// <paramref name="onIteration"/>, if given, sees every accepted step (the function's last evaluation was at the new point)
    /// and returns false to stop.
    /// </summary>
    public LbfgsResult Minimize(IDifferentiableFunction function, Span<float> x, Func<LbfgsIteration, bool>? onIteration = null,
        CancellationToken cancellationToken = default) => Minimize(function, x, default, onIteration, cancellationToken);

    /// <summary>
    /// Minimises <c>F(x) = f(x) + Σ λᵢ|xᵢ|</c>, f being <paramref name="function"/> and λ <paramref name="l1Strength"/> (one
    /// non-negative value per coordinate, 0 for coordinates without the term; empty for none), by OWL-QN (Andrew and Gao, 2007):
    /// L-BFGS on f's curvature, steered by F's pseudo-gradient and kept within an orthant by a backtracking search, so weights
    /// the L1 term does not pay for end exactly at 0. The values, tolerances and records then speak of F and its pseudo-gradient;
    /// steps meet the sufficient-decrease condition only (an iteration's <see cref="LbfgsIteration.FinalSlope"/> is NaN).
    /// </summary>
    public LbfgsResult Minimize(IDifferentiableFunction function, Span<float> x, ReadOnlySpan<float> l1Strength,
        Func<LbfgsIteration, bool>? onIteration = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        int n = x.Length;
        if (n == 0) throw new ArgumentException("There is nothing to minimise over: the point has no values.", nameof(x));
        bool orthantWise = !l1Strength.IsEmpty;
        if (orthantWise && l1Strength.Length != n)
            throw new ArgumentException($"The L1 strengths have {l1Strength.Length} values; the point has {n}.", nameof(l1Strength));
        foreach (float l in l1Strength)
            if (!(l >= 0) || float.IsInfinity(l)) throw new ArgumentOutOfRangeException(nameof(l1Strength), l, "Every L1 strength must be finite and not negative.");
        int m = HistorySize;
        var s = new float[m][];
        var y = new float[m][];
        for (int i = 0; i < m; i++) (s[i], y[i]) = (new float[n], new float[n]);
        var rho = new double[m];
        var alpha = new double[m];
        var gradient = new float[n];
        var start = new float[n];
        var startGradient = new float[n];
        var direction = new float[n];
        // OWL-QN steers by the pseudo-gradient; plain L-BFGS by the gradient itself.
        var pseudo = orthantWise ? new float[n] : gradient;
        int newest = -1, stored = 0;

        int iterations = 0, evaluations = 0;
        if (cancellationToken.IsCancellationRequested) return new LbfgsResult(LbfgsExitCondition.Cancelled, double.NaN, double.NaN, 0, 0);
        double value = function.ValueAndGradient(x, gradient);
        evaluations++;
        if (orthantWise)
        {
            value += OrthantWise.Penalty(x, l1Strength);
            OrthantWise.PseudoGradient(x, gradient, l1Strength, pseudo);
        }
        double gradientNorm = FlatVector.MaxAbs(pseudo);
        LbfgsResult Stop(LbfgsExitCondition reason) => new(reason, value, gradientNorm, iterations, evaluations);
        if (!double.IsFinite(value) || !double.IsFinite(gradientNorm)) return Stop(LbfgsExitCondition.NonFiniteValue);
        if (gradientNorm <= GradientTolerance) return Stop(LbfgsExitCondition.GradientTolerance);

        bool retried = false;
        while (true)
        {
            if (iterations >= MaxIterations) return Stop(LbfgsExitCondition.MaxIterations);
            if (evaluations >= MaxFunctionEvaluations) return Stop(LbfgsExitCondition.MaxFunctionEvaluations);
            if (cancellationToken.IsCancellationRequested) return Stop(LbfgsExitCondition.Cancelled);

            SearchDirection(pseudo, direction, s, y, rho, alpha, newest, stored);
            if (orthantWise) OrthantWise.ConstrainDirection(direction, pseudo);
            double slope = FlatVector.Dot(pseudo, direction);
            if (!(slope < 0))
            {
                // Rounding made the quasi-Newton direction useless: start afresh from the steepest descent.
                stored = 0;
                SearchDirection(pseudo, direction, s, y, rho, alpha, newest, stored);
                slope = FlatVector.Dot(pseudo, direction);
            }
            double initialStep = stored == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;

            x.CopyTo(start);
            gradient.CopyTo(startGradient, 0);
            double startValue = value;
            int budget = Math.Min(MaxLineSearchEvaluations, MaxFunctionEvaluations - evaluations);
            var search = orthantWise
                ? OrthantWise.Search(function, start, startValue, pseudo, direction, l1Strength, initialStep, _lineSearch.C1, x, gradient, budget, cancellationToken)
                : _lineSearch.Search(function, start, startValue, slope, direction, initialStep, x, gradient, budget, cancellationToken);
            evaluations += search.Evaluations;
            if (search.Outcome != LineSearchOutcome.Converged)
            {
                // Back to the last accepted point, which the function's caller may hold buffers for.
                start.CopyTo(x);
                startGradient.CopyTo(gradient, 0);
                if (orthantWise) OrthantWise.PseudoGradient(x, gradient, l1Strength, pseudo);
                switch (search.Outcome)
                {
                    case LineSearchOutcome.Cancelled: return Stop(LbfgsExitCondition.Cancelled);
                    case LineSearchOutcome.MaxEvaluations when evaluations >= MaxFunctionEvaluations: return Stop(LbfgsExitCondition.MaxFunctionEvaluations);
                }
                if (stored > 0 && !retried)
                {
                    stored = 0;
                    retried = true;
                    continue;
                }
                return Stop(LbfgsExitCondition.LineSearchFailed);
            }
            retried = false;
            iterations++;
            value = search.Value;
            if (orthantWise) OrthantWise.PseudoGradient(x, gradient, l1Strength, pseudo);
            gradientNorm = FlatVector.MaxAbs(pseudo);
            if (!double.IsFinite(gradientNorm))
            {
                start.CopyTo(x);
                startGradient.CopyTo(gradient, 0);
                if (orthantWise) OrthantWise.PseudoGradient(x, gradient, l1Strength, pseudo);
                (value, gradientNorm) = (startValue, FlatVector.MaxAbs(pseudo));
                return Stop(LbfgsExitCondition.NonFiniteValue);
            }

            // y is the change of f's gradient (the smooth part's curvature, also under OWL-QN).
            // s and y go into the scratch vectors first, and swap into the history only if their curvature is positive enough.
            FlatVector.Subtract(x, start, direction);
            FlatVector.Subtract(gradient, startGradient, startGradient);
            double sy = FlatVector.Dot(direction, startGradient), yy = FlatVector.Dot(startGradient, startGradient);
            if (sy > MachineEpsilon * yy)
            {
                newest = (newest + 1) % m;
                (s[newest], direction) = (direction, s[newest]);
                (y[newest], startGradient) = (startGradient, y[newest]);
                rho[newest] = 1 / sy;
                stored = Math.Min(stored + 1, m);
            }

            var record = new LbfgsIteration(iterations, value, startValue, gradientNorm, search.Step, slope, search.Slope, evaluations);
            if (onIteration is not null && !onIteration(record)) return Stop(LbfgsExitCondition.StoppedByCaller);
            if (gradientNorm <= GradientTolerance) return Stop(LbfgsExitCondition.GradientTolerance);
            if (startValue - value <= FunctionTolerance * Math.Max(Math.Max(Math.Abs(startValue), Math.Abs(value)), 1))
                return Stop(LbfgsExitCondition.FunctionTolerance);
        }
    }

    /// <summary>
    /// The two-loop recursion: <c>direction ← −H·gradient</c>, with H the inverse-Hessian approximation from the stored pairs
    /// (the newest at <paramref name="newest"/>, <paramref name="stored"/> of them) and the initial scaling <c>γ = sᵀy / yᵀy</c>
    /// of the newest pair (Nocedal and Wright, Algorithm 7.4 and eq. 7.20). With no pairs it is the steepest descent.
    /// </summary>
    private static void SearchDirection(ReadOnlySpan<float> gradient, Span<float> direction, float[][] s, float[][] y,
        double[] rho, double[] alpha, int newest, int stored)
    {
        int m = s.Length;
        gradient.CopyTo(direction);
        for (int j = 0; j < stored; j++)
        {
            int i = (newest - j + m) % m;
            alpha[i] = rho[i] * FlatVector.Dot(s[i], direction);
            FlatVector.AddScaled(direction, -alpha[i], y[i], direction);
        }
        if (stored > 0) FlatVector.Scale(direction, 1 / (rho[newest] * FlatVector.Dot(y[newest], y[newest])));
        for (int j = stored - 1; j >= 0; j--)
        {
            int i = (newest - j + m) % m;
            double beta = rho[i] * FlatVector.Dot(y[i], direction);
            FlatVector.AddScaled(direction, alpha[i] - beta, s[i], direction);
        }
        FlatVector.Scale(direction, -1);
    }
}
