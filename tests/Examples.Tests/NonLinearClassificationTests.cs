using MLNetNN.Lecture;

namespace MLNetNN.Examples.Tests;

public sealed class NonLinearRun
{
    public NonLinearClassificationResult Result { get; } = NonLinearClassification.Run();
}

public class NonLinearClassificationTests(NonLinearRun run) : IClassFixture<NonLinearRun>
{
    private readonly NonLinearClassificationResult _result = run.Result;

    [Fact]
    public void Four_sigmoid_units_classify_the_disc_at_least_95_percent_right()
    {
        Assert.True(_result.TrainAccuracy >= 0.95, $"train accuracy {_result.TrainAccuracy:F4}");
        Assert.True(_result.TestAccuracy >= 0.93, $"held-out accuracy {_result.TestAccuracy:F4}");
        Assert.Equal(4, _result.Units.Count);
        Assert.Equal(300, _result.Run.EpochsCompleted);
    }

    [Fact]
    public void Curves_show_train_and_held_out_loss_and_accuracy_for_every_epoch()
    {
        var panels = SvgFigure.Parse(_result.Figure("nonlinear-training.svg")).Panels;
        Assert.Equal(2, panels.Count);
        foreach (var panel in panels)
        {
            Assert.Equal(["train", "held out"], panel.SeriesNames);
            Assert.Equal(300, panel.PointCount("held out"));
            Assert.Equal(300, panel.Axis('x').Max);
        }
        Assert.True(panels[1].Axis('y').Max <= 1.0 + 1e-9);
    }

    [Fact]
    public void Decision_regions_cover_the_unit_square_with_the_points_and_one_line_per_hidden_unit()
    {
        var map = SvgFigure.Parse(_result.Figure("nonlinear-regions.svg"));
        Assert.Equal((0.0, 1.0), map.Axis('x'));
        Assert.Equal((0.0, 1.0), map.Axis('y'));
        Assert.Equal((0.0, 1.0), map.ColorBar);
        Assert.Equal((200, 200), map.HeatMapSize);
        Assert.Equal(_result.TrainRows, map.PointCount(""));
        Assert.Equal(["unit 1", "unit 2", "unit 3", "unit 4"], map.SeriesNames.Where(n => n.StartsWith("unit", StringComparison.Ordinal)));
    }

    [Fact]
    public void One_panel_per_hidden_unit_shows_its_activation_between_zero_and_one()
    {
        var panels = SvgFigure.Parse(_result.Figure("nonlinear-hidden-units.svg")).Panels;
        Assert.Equal(4, panels.Count);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal((0.0, 1.0), panels[k].ColorBar);
            Assert.Contains($"unit {k + 1}", panels[k].SeriesNames);
            Assert.StartsWith($"hidden unit {k + 1}", panels[k].Texts("title").Single());
        }
    }
}
