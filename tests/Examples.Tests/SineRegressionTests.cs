using MLNetNN.Lecture;

namespace MLNetNN.Examples.Tests;

public sealed class SineRun
{
    public SineRegressionResult Result { get; } = SineRegression.Run();
}

public class SineRegressionTests(SineRun run) : IClassFixture<SineRun>
{
    private readonly SineRegressionResult _result = run.Result;

    [Fact]
    public void Thirty_two_sigmoid_units_fit_the_noisy_sine_with_r_squared_above_point_nine()
    {
        Assert.True(_result.OnData.R2 >= 0.9, $"R² on the data {_result.OnData.R2:F4}");
        Assert.True(_result.AgainstTruth.R2 >= 0.95, $"R² against sin(2πx) {_result.AgainstTruth.R2:F4}");
        // Fitting far below the noise level would mean memorising the noise.
        Assert.InRange(_result.OnData.Mse, 0.5 * _result.Noise * _result.Noise, 2 * _result.Noise * _result.Noise);
    }

    [Fact]
    public void Fit_figure_draws_the_network_the_true_curve_and_the_100_points_over_zero_to_one()
    {
        var chart = SvgFigure.Parse(_result.Figure("sine-fit.svg"));
        Assert.Equal(["network", "sin(2πx)", "data"], chart.SeriesNames);
        Assert.Equal(100, chart.PointCount("data"));
        Assert.Equal((0.0, 1.0), chart.Axis('x'));
        var (low, high) = chart.Axis('y');
        Assert.True(low <= -1 && high >= 1, $"y axis [{low}, {high}] cuts the sine");
    }

    [Fact]
    public void Loss_figure_has_one_point_per_epoch()
    {
        var chart = SvgFigure.Parse(_result.Figure("sine-loss.svg"));
        Assert.Equal(_result.Run.EpochsCompleted, chart.PointCount("mse"));
    }
}
