using System.Globalization;

namespace MLNetNN.Metrics;

/// <summary>
/// Quality of regression predictions, as scikit-learn computes it: MSE, RMSE, MAE and R². With several outputs
/// each metric is computed per output and averaged uniformly (scikit-learn's multioutput='uniform_average').
/// Create with <see cref="Compute"/>.
/// </summary>
public sealed class RegressionMetrics
{
    private RegressionMetrics(int rows, int outputs, double mse, double rmse, double mae, double r2)
    {
        Rows = rows;
        Outputs = outputs;
        Mse = mse;
        Rmse = rmse;
        Mae = mae;
        R2 = r2;
    }

    /// <summary>Number of examples evaluated.</summary>
    public int Rows { get; }

    /// <summary>Number of targets per example.</summary>
    public int Outputs { get; }

    /// <summary>Mean squared error, (1/n)·Σᵢ (yᵢ − ŷᵢ)², averaged over outputs.</summary>
    public double Mse { get; }

    /// <summary>
    /// Root mean squared error, √MSE per output, averaged over outputs. With several outputs this is not √<see cref="Mse"/>
    /// (the mean of square roots, as scikit-learn).
    /// </summary>
    public double Rmse { get; }

    /// <summary>Mean absolute error, (1/n)·Σᵢ |yᵢ − ŷᵢ|, averaged over outputs.</summary>
    public double Mae { get; }

    /// <summary>
    /// Coefficient of determination per output, R² = 1 − Σ(yᵢ − ŷᵢ)² / Σ(yᵢ − ȳ)², averaged uniformly over outputs.
    /// 1 is perfect, 0 is no better than predicting the mean, and it is negative when worse. For an output whose
    /// truth is constant the ratio is undefined; it then counts 1 if the predictions are exact and 0 otherwise
    /// (scikit-learn's force_finite).
    /// </summary>
    public double R2 { get; }

    /// <summary>Evaluates predictions against the truth.</summary>
    /// <param name="truth">True targets, row-major, rows × <paramref name="outputs"/>; finite.</param>
    /// <param name="predicted">Predictions laid out like <paramref name="truth"/>; finite.</param>
    /// <param name="outputs">Targets per example.</param>
    /// <exception cref="ArgumentException">Lengths disagree or are empty, or a value is not finite; the message names the example.</exception>
    public static RegressionMetrics Compute(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted, int outputs = 1)
    {
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "There must be at least one output.");
        if (truth.IsEmpty) throw new ArgumentException("There are no examples to evaluate.", nameof(truth));
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"Truth holds {truth.Length} values but predictions hold {predicted.Length}; they must match.", nameof(predicted));
        if (truth.Length % outputs != 0)
            throw new ArgumentException($"Truth holds {truth.Length} values, not a whole number of rows of {outputs} outputs.", nameof(truth));
        for (int i = 0; i < truth.Length; i++)
        {
            if (!float.IsFinite(truth[i])) throw new ArgumentException($"Example {i / outputs}, output {i % outputs}: true value {truth[i]} is not finite.", nameof(truth));
            if (!float.IsFinite(predicted[i])) throw new ArgumentException($"Example {i / outputs}, output {i % outputs}: prediction {predicted[i]} is not finite.", nameof(predicted));
        }

        // Sums in double: float accumulation over many rows loses the digits R² depends on.
        int n = truth.Length / outputs;
        double mse = 0, rmse = 0, mae = 0, r2 = 0;
        for (int o = 0; o < outputs; o++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += truth[i * outputs + o];
            mean /= n;

            double squared = 0, absolute = 0, total = 0;
            for (int i = 0; i < n; i++)
            {
                double y = truth[i * outputs + o];
                double error = y - predicted[i * outputs + o];
                squared += error * error;
                absolute += Math.Abs(error);
                total += (y - mean) * (y - mean);
            }
            mse += squared / n;
            rmse += Math.Sqrt(squared / n);
            mae += absolute / n;
            r2 += total > 0 ? 1 - squared / total : squared == 0 ? 1 : 0;
        }
        return new RegressionMetrics(n, outputs, mse / outputs, rmse / outputs, mae / outputs, r2 / outputs);
    }

    /// <summary>One line, e.g. <c>MSE 0.2500  RMSE 0.5000  MAE 0.5000  R² 0.9000  (4 examples, 1 output)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"MSE {Mse:0.0000}  RMSE {Rmse:0.0000}  MAE {Mae:0.0000}  R² {R2:0.0000}  ({Rows} examples, {Outputs} output{(Outputs == 1 ? "" : "s")})");
}
