using MLNetNN.Metrics;
using Xunit;

namespace MLNetNN.Tests.Metrics;

/// <summary>Reference values come from scikit-learn 1.2 (mean_squared_error, mean_absolute_error, r2_score, multioutput='uniform_average').</summary>
public class RegressionMetricsTests
{
    private const int Precision = 12;

    [Fact]
    public void Single_output_metrics_match_scikit_learn()
    {
        var m = RegressionMetrics.Compute([3, -0.5f, 2, 7], [2.5f, 0, 2, 8]);

        Assert.Equal(4, m.Rows);
        Assert.Equal(1, m.Outputs);
        Assert.Equal(0.375, m.Mse, Precision);
        Assert.Equal(0.6123724356957945, m.Rmse, Precision);
        Assert.Equal(0.5, m.Mae, Precision);
        Assert.Equal(0.9486081370449679, m.R2, Precision);
    }

    [Fact]
    public void Multiple_outputs_average_per_output_metrics_uniformly()
    {
        // Rows (0.5, 1), (-1, 1), (7, -6).
        var m = RegressionMetrics.Compute([0.5f, 1, -1, 1, 7, -6], [0, 2, -1, 2, 8, -5], outputs: 2);

        Assert.Equal(3, m.Rows);
        Assert.Equal(0.7083333333333334, m.Mse, Precision);
        Assert.Equal(0.8227486121839513, m.Rmse, Precision);
        Assert.Equal(0.75, m.Mae, Precision);
        Assert.Equal(0.9368005266622779, m.R2, Precision);
    }

    [Fact]
    public void R2_of_a_constant_truth_is_1_when_exact_and_0_otherwise()
    {
        Assert.Equal(1.0, RegressionMetrics.Compute([4, 4, 4], [4, 4, 4]).R2);
        Assert.Equal(0.0, RegressionMetrics.Compute([4, 4, 4], [4, 5, 4]).R2);
        // Output 0 is constant and exact (1), output 1 scores 0.875 → mean 0.9375.
        Assert.Equal(0.9375, RegressionMetrics.Compute([1, 1, 1, 2, 1, 3], [1, 1, 1, 2, 1, 3.5f], outputs: 2).R2, Precision);
        // Output 0 is constant but missed (0), output 1 is exact (1) → mean 0.5.
        Assert.Equal(0.5, RegressionMetrics.Compute([1, 1, 1, 2, 1, 3], [1, 1, 1.5f, 2, 1, 3], outputs: 2).R2, Precision);
    }

    [Fact]
    public void A_worse_than_mean_prediction_has_negative_R2()
    {
        Assert.True(RegressionMetrics.Compute([1, 2, 3], [3, 2, 1]).R2 < 0);
    }

    [Fact]
    public void ToString_is_one_readable_line()
    {
        Assert.Equal("MSE 0.3750  RMSE 0.6124  MAE 0.5000  R² 0.9486  (4 examples, 1 output)",
            RegressionMetrics.Compute([3, -0.5f, 2, 7], [2.5f, 0, 2, 8]).ToString());
    }

    [Fact]
    public void Inconsistent_inputs_name_the_problem()
    {
        var lengths = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1, 2, 3], [1, 2]));
        Assert.StartsWith("Truth holds 3 values but predictions hold 2; they must match.", lengths.Message);
        var rows = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1, 2, 3], [1, 2, 3], outputs: 2));
        Assert.StartsWith("Truth holds 3 values, not a whole number of rows of 2 outputs.", rows.Message);
        var nan = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1, 2, 3, 4], [1, 2, 3, float.NaN], outputs: 2));
        Assert.StartsWith("Example 1, output 1: prediction NaN is not finite.", nan.Message);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionMetrics.Compute([1], [1], outputs: 0));
    }
}
