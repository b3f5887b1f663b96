using MLNetNN.Optimizers.Lbfgs;
using Xunit;

namespace MLNetNN.Tests.Optimizers;

/// <summary>
/// The L-BFGS solver on functions whose minima are known: Rosenbrock's valley, a quadratic solved in closed form, and
/// regularised logistic regression with a minimum computed offline by scipy and Newton's method. Every accepted step is checked
/// against the strong Wolfe conditions from the test's own evaluations; stop reasons, limits and determinism are pinned.
/// </summary>
public class LbfgsTests
{
    [Fact]
    public void Rosenbrock_from_the_standard_start_reaches_one_one()
    {
        var rosenbrock = new Rosenbrock();
        float[] x = [-1.2f, 1f];
        var result = new LbfgsMinimizer(gradientTolerance: 1e-4).Minimize(rosenbrock, x);
        Assert.Equal(LbfgsExitCondition.GradientTolerance, result.Reason);
        Assert.True(Math.Abs(x[0] - 1) < 1e-4 && Math.Abs(x[1] - 1) < 1e-4, $"ended at ({x[0]}, {x[1]}): {result}");
        Assert.True(result.Value < 1e-8, result.ToString());
        // Textbook L-BFGS needs a few dozen iterations here; a broken direction or line search needs hundreds or never ends.
        Assert.InRange(result.Iterations, 20, 60);
        Assert.Equal(rosenbrock.Evaluations, result.FunctionEvaluations);
    }

    [Fact]
    public void Every_accepted_step_meets_the_strong_Wolfe_conditions()
    {
        // The test's own record of every evaluation, so the check does not trust the figures the solver reports.
        var rosenbrock = new Rosenbrock();
        float[] x = [-1.2f, 1f];
        double[] previous = [x[0], x[1]];
        int steps = 0;
        var result = new LbfgsMinimizer(gradientTolerance: 1e-4).Minimize(rosenbrock, x, step =>
        {
            double[] before = previous, after = [x[0], x[1]];
            double[] s = [after[0] - before[0], after[1] - before[1]];
            double f0 = Rosenbrock.Value(before), f1 = Rosenbrock.Value(after);
            double[] g0 = Rosenbrock.Gradient(before), g1 = Rosenbrock.Gradient(after);
            double slope0 = g0[0] * s[0] + g0[1] * s[1], slope1 = g1[0] * s[0] + g1[1] * s[1];
            Assert.True(slope0 < 0, $"step {step.Iteration} went uphill");
            // s = α·d, so both conditions read the same with s in place of α·d (the curvature one on both sides).
            Assert.True(f1 <= f0 + 1e-4 * slope0, $"step {step.Iteration}: f {f0} → {f1}, slope {slope0}: no sufficient decrease");
            Assert.True(Math.Abs(slope1) <= 0.9 * Math.Abs(slope0) + 1e-12, $"step {step.Iteration}: slope {slope0} → {slope1}: curvature condition fails");
            Assert.Equal(f1, step.Value, 1e-12);
            Assert.Equal(f0, step.PreviousValue, 1e-12);
            previous = after;
            steps++;
            return true;
        });
        Assert.Equal(result.Iterations, steps);
        Assert.True(steps > 20);
    }

    [Theory]
    [InlineData(1e-3)]   // too short: the bracketing phase must widen it
    [InlineData(1.0)]
    [InlineData(50.0)]   // far past the minimum: zoom must come back
    [InlineData(1e6)]    // into the region where the function overflows to infinity
    public void The_line_search_returns_a_strong_Wolfe_step_from_any_first_trial(double initialStep)
    {
        // φ(α) = f(x₀ + α·d) along d = (1, 0) from x₀ = (0, 0) on f = exp(x − 3) − x + y², minimum at x = 3; f is ∞ past x = 710.
        var function = new ExpMinusLinear();
        float[] start = [0f, 0f], direction = [1f, 0f], point = new float[2], gradient = new float[2];
        double f0 = ExpMinusLinear.Value(0), slope0 = ExpMinusLinear.Derivative(0);
        var search = new WolfeLineSearch();
        var result = search.Search(function, start, f0, slope0, direction, initialStep, point, gradient, maxEvaluations: 40);
        Assert.Equal(LineSearchOutcome.Converged, result.Outcome);
        double a = point[0];
        Assert.Equal((float)result.Step, point[0]);
        Assert.True(ExpMinusLinear.Value(a) <= f0 + 1e-4 * a * slope0, $"α = {a}: no sufficient decrease");
        Assert.True(Math.Abs(ExpMinusLinear.Derivative(a)) <= 0.9 * Math.Abs(slope0), $"α = {a}: curvature condition fails");
        Assert.Equal(function.Evaluations, result.Evaluations);
        Assert.Equal((float)ExpMinusLinear.Derivative(a), gradient[0], 1e-4f);
    }

    [Fact]
    public void On_two_thousand_seeded_wiggly_functions_every_line_search_converges_to_a_strong_Wolfe_step()
    {
        // f(x) = c·x² + Σ aₖ·sin(bₖx + pₖ): bounded below, many local minima and inflections, from a random start, downhill,
        // with a first trial anywhere from 1e-4 to 1e3. The conditions are checked from the test's own evaluation of f.
        var random = new Random(20261203);
        var search = new WolfeLineSearch();
        int searched = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            var function = new Wiggly(random);
            float x0 = (float)(random.NextDouble() * 6 - 3);
            double g0 = function.Derivative(x0);
            if (Math.Abs(g0) < 1e-3) continue;
            float d = g0 > 0 ? -1f : 1f;
            double initialStep = Math.Pow(10, random.NextDouble() * 7 - 4);
            float[] point = new float[1], gradient = new float[1];
            var result = search.Search(function, [x0], function.Value(x0), g0 * d, [d], initialStep, point, gradient, maxEvaluations: 40);
            Assert.True(result.Outcome == LineSearchOutcome.Converged, $"case {trial}: {result} from {x0} with first step {initialStep}");
            double s = (double)point[0] - x0;
            Assert.True(function.Value(point[0]) <= function.Value(x0) + 1e-4 * g0 * s + 1e-12, $"case {trial}: no sufficient decrease");
            Assert.True(Math.Abs(function.Derivative(point[0])) <= 0.9 * Math.Abs(g0) + 1e-9, $"case {trial}: curvature condition fails");
            searched++;
        }
        Assert.True(searched > 1900, $"only {searched} cases had a usable slope");
    }

    /// <summary><c>f(x) = c·x² + Σₖ aₖ·sin(bₖx + pₖ)</c> with coefficients drawn from the generator.</summary>
    private sealed class Wiggly : IDifferentiableFunction
    {
        private readonly double _c;
        private readonly double[] _a = new double[3], _b = new double[3], _p = new double[3];

        public Wiggly(Random random)
        {
            _c = 0.01 + random.NextDouble();
            for (int k = 0; k < 3; k++) (_a[k], _b[k], _p[k]) = (random.NextDouble() * 2 - 1, 0.1 + random.NextDouble() * 5, random.NextDouble() * 6.3);
        }

        public double Value(double x) => _c * x * x + Enumerable.Range(0, 3).Sum(k => _a[k] * Math.Sin(_b[k] * x + _p[k]));

        public double Derivative(double x) => 2 * _c * x + Enumerable.Range(0, 3).Sum(k => _a[k] * _b[k] * Math.Cos(_b[k] * x + _p[k]));

        public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
        {
            gradient[0] = (float)Derivative(x[0]);
            return Value(x[0]);
        }
    }

    [Fact]
    public void The_line_search_refuses_an_ascent_direction_without_evaluating()
    {
        var function = new ExpMinusLinear();
        float[] start = [0f, 0f], direction = [-1f, 0f], point = new float[2], gradient = new float[2];
        var result = new WolfeLineSearch().Search(function, start, ExpMinusLinear.Value(0), -ExpMinusLinear.Derivative(0), direction, 1, point, gradient, 20);
        Assert.Equal(LineSearchOutcome.NotDescentDirection, result.Outcome);
        Assert.Equal(0, function.Evaluations);
    }

    [Fact]
    public void A_convex_quadratic_reaches_its_closed_form_minimum_within_1e_minus_5()
    {
        // Ridge regression: J(w) = ‖Xw − t‖²/(2n) + (λ/2)‖w‖², minimised by (XᵀX/n + λI) w = Xᵀt/n, solved here by elimination.
        var ridge = new RidgeRegression(rows: 60, columns: 8, lambda: 0.05, seed: 11);
        double reference = ridge.Value(ridge.ClosedFormMinimiser());
        var x = new float[8];
        var result = new LbfgsMinimizer(gradientTolerance: 1e-7).Minimize(ridge, x);
        Assert.True(Math.Abs(result.Value - reference) <= 1e-5, $"reached {result.Value:R}, the minimum is {reference:R}: {result}");
        Assert.True(Math.Abs(ridge.Value(x.Select(v => (double)v).ToArray()) - reference) <= 1e-5);
        Assert.True(result.Reason is LbfgsExitCondition.GradientTolerance or LbfgsExitCondition.FunctionTolerance, result.ToString());
    }

    /// <summary>
    /// scipy's L-BFGS-B at its tightest tolerances and Newton's method agree on this minimum in float64
    /// (tests/Core.Tests/reference/lbfgs_logistic.py printed it).
    /// </summary>
    internal const double BreastCancerLogisticMinimum = 0.0995913759325593;

    [Fact]
    public void Regularised_logistic_regression_reaches_the_scipy_minimum_within_1e_minus_5()
    {
        var logistic = new LogisticRegression(TestData.BreastCancer(), lambda: 0.01);
        var x = new float[logistic.Dimension];
        var result = new LbfgsMinimizer(gradientTolerance: 1e-6).Minimize(logistic, x);
        Assert.True(Math.Abs(result.Value - BreastCancerLogisticMinimum) <= 1e-5, $"reached {result.Value:R}, scipy's minimum is {BreastCancerLogisticMinimum:R}: {result}");
        Assert.NotEqual(LbfgsExitCondition.MaxIterations, result.Reason);
    }

    /// <summary>
    /// scikit-learn's Lasso (coordinate descent, tol 1e-14) on the same data: the minimum and how many of the 30 weights it sets
    /// to exactly zero (tests/Core.Tests/reference/lbfgs_l1.py printed them).
    /// </summary>
    private const double BreastCancerLassoMinimum = 0.036872533824387606;
    private const int BreastCancerLassoZeroWeights = 18;

    [Fact]
    public void OWL_QN_reaches_the_lasso_minimum_and_its_exact_zeros()
    {
        var data = TestData.BreastCancer();
        var leastSquares = new LeastSquares(data);
        var strength = new float[leastSquares.Dimension];
        Array.Fill(strength, 0.01f, 0, data.Columns);   // weights only; the intercept is free
        var x = new float[leastSquares.Dimension];
        var result = new LbfgsMinimizer(gradientTolerance: 1e-7).Minimize(leastSquares, x, strength);
        Assert.True(Math.Abs(result.Value - BreastCancerLassoMinimum) <= 1e-5, $"reached {result.Value:R}, scikit-learn's minimum is {BreastCancerLassoMinimum:R}: {result}");
        Assert.Equal(BreastCancerLassoZeroWeights, x.Take(data.Columns).Count(w => w == 0f));
        Assert.NotEqual(0f, x[^1]);
    }

    [Fact]
    public void OWL_QN_soft_thresholds_a_separable_quadratic()
    {
        // F = Σ aᵢ(xᵢ − cᵢ)²/2 + λᵢ|xᵢ|: the minimiser is sign(cᵢ)·max(|cᵢ| − λᵢ/aᵢ, 0) in each coordinate.
        double[] a = [1, 4, 0.5, 2, 1, 3], c = [2, -0.1, -3, 0.2, -0.5, 1];
        float[] strength = [0.5f, 1f, 0.25f, 1f, 0f, 0.3f];
        var x = new float[] { 1, 1, 1, 1, 1, 1 };
        var result = new LbfgsMinimizer(gradientTolerance: 1e-7).Minimize(new SeparableQuadratic(a, c), x, strength);
        Assert.True(result.Reason is LbfgsExitCondition.GradientTolerance or LbfgsExitCondition.FunctionTolerance, result.ToString());
        for (int i = 0; i < a.Length; i++)
        {
            double expected = Math.Sign(c[i]) * Math.Max(Math.Abs(c[i]) - strength[i] / a[i], 0);
            if (expected == 0) Assert.Equal(0f, x[i]);
            else Assert.Equal(expected, x[i], 1e-5);
        }
    }

    [Fact]
    public void L1_strengths_must_match_the_point_and_be_non_negative()
    {
        Assert.Throws<ArgumentException>(() => new LbfgsMinimizer().Minimize(new Rosenbrock(), new float[2], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer().Minimize(new Rosenbrock(), new float[2], new[] { 0f, -1f }));
    }

    [Fact]
    public void Two_runs_are_bit_identical()
    {
        var logistic = new LogisticRegression(TestData.BreastCancer(), lambda: 0.01);
        float[] Run(out LbfgsResult result, List<double> values)
        {
            var x = new float[logistic.Dimension];
            result = new LbfgsMinimizer(gradientTolerance: 1e-6).Minimize(logistic, x, step => { values.Add(step.Value); return true; });
            return x;
        }
        List<double> firstValues = [], secondValues = [];
        var first = Run(out var firstResult, firstValues);
        var second = Run(out var secondResult, secondValues);
        Assert.Equal(first, second);
        Assert.Equal(firstResult, secondResult);
        Assert.Equal(firstValues, secondValues);
    }

    [Fact]
    public void The_iteration_limit_is_respected_and_reported()
    {
        float[] x = [-1.2f, 1f];
        int seen = 0;
        var result = new LbfgsMinimizer(maxIterations: 5).Minimize(new Rosenbrock(), x, _ => { seen++; return true; });
        Assert.Equal(LbfgsExitCondition.MaxIterations, result.Reason);
        Assert.Equal(5, result.Iterations);
        Assert.Equal(5, seen);
        Assert.Equal(Rosenbrock.Value([x[0], x[1]]), result.Value, 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    public void The_evaluation_limit_is_never_exceeded(int limit)
    {
        var rosenbrock = new Rosenbrock();
        float[] x = [-1.2f, 1f];
        double lastAccepted = Rosenbrock.Value([-1.2f, 1f]);
        var result = new LbfgsMinimizer(maxFunctionEvaluations: limit).Minimize(rosenbrock, x, step => { lastAccepted = step.Value; return true; });
        Assert.Equal(LbfgsExitCondition.MaxFunctionEvaluations, result.Reason);
        Assert.True(rosenbrock.Evaluations <= limit, $"{rosenbrock.Evaluations} evaluations with a limit of {limit}");
        Assert.Equal(rosenbrock.Evaluations, result.FunctionEvaluations);
        // A line search cut short leaves the last accepted point, not a trial point.
        Assert.Equal(lastAccepted, Rosenbrock.Value([x[0], x[1]]), 1e-12);
        Assert.Equal(lastAccepted, result.Value, 1e-12);
    }

    [Fact]
    public void Cancellation_stops_at_the_last_accepted_point()
    {
        using var cancel = new CancellationTokenSource();
        float[] x = [-1.2f, 1f];
        float[] atCancel = [];
        var result = new LbfgsMinimizer().Minimize(new Rosenbrock(), x, step =>
        {
            if (step.Iteration == 3) { cancel.Cancel(); atCancel = (float[])x.Clone(); }
            return true;
        }, cancel.Token);
        Assert.Equal(LbfgsExitCondition.Cancelled, result.Reason);
        Assert.Equal(3, result.Iterations);
        Assert.Equal(atCancel, x);
    }

    [Fact]
    public void The_callback_can_stop_the_run()
    {
        float[] x = [-1.2f, 1f];
        var result = new LbfgsMinimizer().Minimize(new Rosenbrock(), x, step => step.Iteration < 4);
        Assert.Equal(LbfgsExitCondition.StoppedByCaller, result.Reason);
        Assert.Equal(4, result.Iterations);
    }

    [Fact]
    public void A_start_at_the_minimum_stops_at_once_on_the_gradient()
    {
        float[] x = [1f, 1f];
        var result = new LbfgsMinimizer().Minimize(new Rosenbrock(), x);
        Assert.Equal(LbfgsExitCondition.GradientTolerance, result.Reason);
        Assert.Equal(0, result.Iterations);
        Assert.Equal(1, result.FunctionEvaluations);
    }

    [Fact]
    public void The_function_tolerance_stops_a_run_whose_steps_no_longer_lower_f_enough()
    {
        float[] x = [-1.2f, 1f];
        var result = new LbfgsMinimizer(gradientTolerance: 0, functionTolerance: 1e-2).Minimize(new Rosenbrock(), x);
        Assert.Equal(LbfgsExitCondition.FunctionTolerance, result.Reason);
        Assert.True(result.Iterations < 40, result.ToString());
    }

    [Fact]
    public void A_non_finite_start_is_reported_not_followed()
    {
        float[] x = [float.NaN, 1f];
        var result = new LbfgsMinimizer().Minimize(new Rosenbrock(), x);
        Assert.Equal(LbfgsExitCondition.NonFiniteValue, result.Reason);
        Assert.Equal(0, result.Iterations);
    }

    [Fact]
    public void A_gradient_that_lies_ends_in_a_line_search_failure_at_the_start()
    {
        // The reported gradient points uphill, so no step along −g lowers f; the solver must say so and keep the start.
        float[] x = [-1.2f, 1f];
        var result = new LbfgsMinimizer().Minimize(new Rosenbrock { NegateGradient = true }, x);
        Assert.Equal(LbfgsExitCondition.LineSearchFailed, result.Reason);
        Assert.Equal([-1.2f, 1f], x);
        Assert.Equal(0, result.Iterations);
    }

    [Fact]
    public void A_function_that_overflows_past_a_wall_is_still_minimised()
    {
        // f = ∞ beyond x = 710 (exp overflows), minimum at x = 3: steps that land past the wall must count as too long.
        float[] x = [0f, 2f];
        var result = new LbfgsMinimizer(gradientTolerance: 1e-6).Minimize(new ExpMinusLinear(), x);
        Assert.Equal(LbfgsExitCondition.GradientTolerance, result.Reason);
        Assert.Equal(3f, x[0], 1e-4f);
        Assert.Equal(0f, x[1], 1e-4f);
    }

    [Fact]
    public void Iterations_allocate_nothing()
    {
        // Rosenbrock's valley in 50 independent pairs needs over 30 iterations, so both runs end at their limits.
        var function = new ExtendedRosenbrock();
        long Allocated(int iterations)
        {
            var minimizer = new LbfgsMinimizer(maxIterations: iterations);
            var x = new float[100];
            for (int i = 0; i < x.Length; i++) x[i] = i % 2 == 0 ? -1.2f : 1f;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var result = minimizer.Minimize(function, x);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(LbfgsExitCondition.MaxIterations, result.Reason);
            return allocated;
        }
        Allocated(5);
        // The least of three differences: a one-off allocation by the runtime on this thread during one run (seen once in a
        // full suite, 2,984 bytes, with other classes compiling in parallel) inflates one difference, while an allocation per
        // iteration shows in every one.
        long extra = Enumerable.Range(0, 3).Min(_ => Allocated(25) - Allocated(5));
        Assert.True(extra < 24 * 20, $"20 more iterations allocated {extra} bytes");
    }

    [Fact]
    public void Bad_settings_are_refused_by_name()
    {
        Assert.Equal("historySize", Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(historySize: 0)).ParamName);
        Assert.Equal("gradientTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(gradientTolerance: double.NaN)).ParamName);
        Assert.Equal("functionTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(functionTolerance: -1)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(maxIterations: 0)).ParamName);
        Assert.Equal("maxFunctionEvaluations", Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsMinimizer(maxFunctionEvaluations: 0)).ParamName);
        Assert.Equal("c2", Assert.Throws<ArgumentOutOfRangeException>(() => new WolfeLineSearch(c1: 0.5, c2: 0.4)).ParamName);
        Assert.Throws<ArgumentException>(() => new LbfgsMinimizer().Minimize(new Rosenbrock(), Span<float>.Empty));
    }

    /// <summary><c>f = 100(y − x²)² + (1 − x)²</c>, evaluated in double from the float point.</summary>
    private sealed class Rosenbrock : IDifferentiableFunction
    {
        public int Evaluations { get; private set; }

        public bool NegateGradient { get; init; }

        public static double Value(ReadOnlySpan<double> p) => 100 * Math.Pow(p[1] - p[0] * p[0], 2) + Math.Pow(1 - p[0], 2);

        public static double[] Gradient(ReadOnlySpan<double> p) =>
            [-400 * p[0] * (p[1] - p[0] * p[0]) - 2 * (1 - p[0]), 200 * (p[1] - p[0] * p[0])];

        public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
        {
            Evaluations++;
            double[] p = [x[0], x[1]];
            var g = Gradient(p);
            double sign = NegateGradient ? -1 : 1;
            gradient[0] = (float)(sign * g[0]);
            gradient[1] = (float)(sign * g[1]);
            return Value(p);
        }
    }

    /// <summary><c>f = Σ aᵢ(xᵢ − cᵢ)²/2</c>.</summary>
    private sealed class SeparableQuadratic(double[] a, double[] c) : IDifferentiableFunction
    {
        public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += 0.5 * a[i] * (x[i] - c[i]) * (x[i] - c[i]);
                gradient[i] = (float)(a[i] * (x[i] - c[i]));
            }
            return sum;
        }
    }

    /// <summary><c>f = Σ 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)²</c>, allocating nothing.</summary>
    private sealed class ExtendedRosenbrock : IDifferentiableFunction
    {
        public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i += 2)
            {
                double a = x[i], b = x[i + 1], valley = b - a * a;
                sum += 100 * valley * valley + (1 - a) * (1 - a);
                gradient[i] = (float)(-400 * a * valley - 2 * (1 - a));
                gradient[i + 1] = (float)(200 * valley);
            }
            return sum;
        }
    }

    /// <summary><c>f = exp(x − 3) − x + y²</c>: minimum 2 − 3 = −2 at (3, 0); overflows to ∞ for x past about 712.</summary>
    private sealed class ExpMinusLinear : IDifferentiableFunction
    {
        public int Evaluations { get; private set; }

        public static double Value(double x) => Math.Exp(x - 3) - x;

        public static double Derivative(double x) => Math.Exp(x - 3) - 1;

        public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
        {
            Evaluations++;
            gradient[0] = (float)Derivative(x[0]);
            gradient[1] = 2 * x[1];
            return Value(x[0]) + (double)x[1] * x[1];
        }
    }

    /// <summary><c>J(w) = ‖Xw − t‖²/(2n) + (λ/2)‖w‖²</c> on seeded data, with its minimiser in closed form.</summary>
    private sealed class RidgeRegression : IDifferentiableFunction
    {
        private readonly double[,] _x;
        private readonly double[] _t;
        private readonly double _lambda;

        public RidgeRegression(int rows, int columns, double lambda, int seed)
        {
            var random = new Random(seed);
            _x = new double[rows, columns];
            _t = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++) _x[i, j] = random.NextDouble() * 2 - 1 + (j % 3 == 0 ? 0.5 * _x[i, 0] : 0);
                _t[i] = random.NextDouble() * 4 - 2;
            }
            _lambda = lambda;
        }

        private int Rows => _t.Length;

        private int Columns => _x.GetLength(1);

        public double Value(ReadOnlySpan<double> w)
        {
            double sum = 0;
            for (int i = 0; i < Rows; i++)
            {
                double r = -_t[i];
                for (int j = 0; j < Columns; j++) r += _x[i, j] * w[j];
                sum += r * r;
            }
            double norm = 0;
            foreach (double v in w) norm += v * v;
            return sum / (2 * Rows) + 0.5 * _lambda * norm;
        }

        public double ValueAndGradient(ReadOnlySpan<float> x, Span<float> gradient)
        {
            var w = new double[Columns];
            for (int j = 0; j < Columns; j++) w[j] = x[j];
            var g = new double[Columns];
            for (int i = 0; i < Rows; i++)
            {
                double r = -_t[i];
                for (int j = 0; j < Columns; j++) r += _x[i, j] * w[j];
                for (int j = 0; j < Columns; j++) g[j] += r * _x[i, j] / Rows;
            }
            for (int j = 0; j < Columns; j++) gradient[j] = (float)(g[j] + _lambda * w[j]);
            return Value(w);
        }

        /// <summary>Solves <c>(XᵀX/n + λI) w = Xᵀt/n</c> by Gaussian elimination with partial pivoting.</summary>
        public double[] ClosedFormMinimiser()
        {
            int c = Columns;
            var a = new double[c, c + 1];
            for (int p = 0; p < c; p++)
            {
                for (int q = 0; q < c; q++)
                {
                    double sum = 0;
                    for (int i = 0; i < Rows; i++) sum += _x[i, p] * _x[i, q];
                    a[p, q] = sum / Rows + (p == q ? _lambda : 0);
                }
                double rhs = 0;
                for (int i = 0; i < Rows; i++) rhs += _x[i, p] * _t[i];
                a[p, c] = rhs / Rows;
            }
            for (int col = 0; col < c; col++)
            {
                int pivot = col;
                for (int r = col + 1; r < c; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
                for (int k = 0; k <= c; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                for (int r = 0; r < c; r++)
                {
                    if (r == col) continue;
                    double factor = a[r, col] / a[col, col];
                    for (int k = col; k <= c; k++) a[r, k] -= factor * a[col, k];
                }
            }
            return Enumerable.Range(0, c).Select(j => a[j, c] / a[j, j]).ToArray();
        }
    }

    /// <summary>The features standardised with the population standard deviation, in double, row-major.</summary>
    private static double[] Standardized(MLNetNN.Data.Dataset data)
    {
        int rows = data.Rows, columns = data.Columns;
        var x = new double[rows * columns];
        for (int j = 0; j < columns; j++)
        {
            double mean = 0, squares = 0;
            for (int i = 0; i < rows; i++) mean += data.Features[i * columns + j];
            mean /= rows;
            for (int i = 0; i < rows; i++) squares += Math.Pow(data.Features[i * columns + j] - mean, 2);
            double std = Math.Sqrt(squares / rows);
            for (int i = 0; i < rows; i++) x[i * columns + j] = (data.Features[i * columns + j] - mean) / std;
        }
        return x;
    }

    /// <summary>
    /// <c>‖y − Xw − b‖²/(2n)</c> on a data set standardised as <see cref="Standardized"/> does, y the 0/1 label, in double:
    /// the smooth part of the lasso tests/Core.Tests/reference/lbfgs_l1.py minimises. The intercept b is the last value.
    /// </summary>
    private sealed class LeastSquares(MLNetNN.Data.Dataset data) : IDifferentiableFunction
    {
        private readonly double[] _x = Standardized(data);

        public int Dimension => data.Columns + 1;

        public double ValueAndGradient(ReadOnlySpan<float> theta, Span<float> gradient)
        {
            int rows = data.Rows, columns = data.Columns;
            var g = new double[Dimension];
            double sum = 0;
            for (int i = 0; i < rows; i++)
            {
                double r = theta[columns] - data.Labels[i];
                for (int j = 0; j < columns; j++) r += _x[i * columns + j] * theta[j];
                sum += r * r;
                for (int j = 0; j < columns; j++) g[j] += r * _x[i * columns + j];
                g[columns] += r;
            }
            for (int j = 0; j <= columns; j++) gradient[j] = (float)(g[j] / rows);
            return sum / (2 * rows);
        }
    }

    /// <summary>
    /// Mean log-loss plus <c>(λ/2)‖w‖²</c> (bias unpenalised) on a two-class data set standardised with the population standard
    /// deviation, in double: the objective tests/Core.Tests/reference/lbfgs_logistic.py minimises. The bias is the last value.
    /// </summary>
    private sealed class LogisticRegression : IDifferentiableFunction
    {
        private readonly double[] _x, _y;
        private readonly int _rows, _columns;
        private readonly double _lambda;

        public LogisticRegression(MLNetNN.Data.Dataset data, double lambda)
        {
            (_rows, _columns, _lambda) = (data.Rows, data.Columns, lambda);
            _x = Standardized(data);
            _y = data.Labels.Select(v => (double)v).ToArray();
        }

        public int Dimension => _columns + 1;

        public double ValueAndGradient(ReadOnlySpan<float> theta, Span<float> gradient)
        {
            var g = new double[Dimension];
            double loss = 0;
            for (int i = 0; i < _rows; i++)
            {
                double z = theta[_columns];
                for (int j = 0; j < _columns; j++) z += _x[i * _columns + j] * theta[j];
                // log(1 + eᶻ) − y·z, written to stay finite for large |z|.
                loss += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - _y[i] * z;
                double residual = 1 / (1 + Math.Exp(-z)) - _y[i];
                for (int j = 0; j < _columns; j++) g[j] += residual * _x[i * _columns + j];
                g[_columns] += residual;
            }
            double penalty = 0;
            for (int j = 0; j < _columns; j++)
            {
                penalty += (double)theta[j] * theta[j];
                gradient[j] = (float)(g[j] / _rows + _lambda * theta[j]);
            }
            gradient[_columns] = (float)(g[_columns] / _rows);
            return loss / _rows + 0.5 * _lambda * penalty;
        }
    }
}
