using MLNetNN.Plotting;
using Xunit;

namespace MLNetNN.Tests.Plotting;

public class AxisScaleTests
{
    [Theory]
    [InlineData(0.62, 0.97, 0.6, 1.0)]
    [InlineData(0.6, 0.9, 0.6, 0.9)]
    [InlineData(1, 60, 0, 60)]
    [InlineData(-5, 5, -6, 6)]
    [InlineData(3, 3, 2.7, 3.3)]
    [InlineData(0, 0, -1, 1)]
    public void Nice_ranges_widen_to_whole_steps(double lo, double hi, double min, double max)
    {
        var scale = AxisScale.Nice(lo, hi, 6);
        Assert.Equal(min, scale.Min);
        Assert.Equal(max, scale.Max);
    }

    [Fact]
    public void Ticks_are_exact_decimals_with_compact_labels()
    {
        var scale = AxisScale.Nice(0.3, 0.7, 4);
        Assert.Equal(["0.3", "0.4", "0.5", "0.6", "0.7"], scale.Labels);
        Assert.Equal(0.3, scale.Ticks[0]);
    }

    [Fact]
    public void Fixed_ranges_keep_their_ends_and_get_at_least_two_ticks()
    {
        var scale = AxisScale.Fixed(new AxisRange(0.61, 0.69), 2);
        Assert.Equal(0.61, scale.Min);
        Assert.Equal(0.69, scale.Max);
        Assert.True(scale.Ticks.Length >= 2);
        Assert.All(scale.Ticks, t => Assert.InRange(t, 0.61, 0.69));
    }

    [Fact]
    public void Extreme_magnitudes_use_distinguishable_scientific_labels()
    {
        Assert.Equal(["1.0001E+7", "1.0002E+7", "1.0003E+7"], AxisScale.Fixed(new AxisRange(10_000_500, 10_003_000), 3).Labels);
        Assert.Contains("5E-6", AxisScale.Nice(0, 1e-5, 2).Labels);
    }

    [Fact]
    public void Categories_sit_at_cell_centres()
    {
        var scale = AxisScale.Categories(["a", "b", "c"], reversed: true);
        Assert.Equal([0.5, 1.5, 2.5], scale.Ticks);
        Assert.Equal(1 - 0.5 / 3, scale.Unit(0.5), 12);
    }
}
