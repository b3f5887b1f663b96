using MLNetNN.Lecture;

namespace MLNetNN.Examples.Tests;

public sealed class GridRun
{
    public ModelSelectionGridResult Result { get; } = ModelSelectionGrid.Run();
}

public class ModelSelectionGridTests(GridRun run) : IClassFixture<GridRun>
{
    private readonly ModelSelectionGridResult _result = run.Result;

    [Fact]
    public void Every_combination_is_scored_on_five_folds()
    {
        Assert.Equal(ModelSelectionGrid.Combinations, _result.Search.Entries.Count);
        Assert.All(_result.Search.Entries, e =>
        {
            Assert.Equal(5, e.CrossValidation.Folds.Count);
            Assert.InRange(e.CrossValidation.Mean, 0.0, 1.0);
        });
    }

    [Fact]
    public void Printed_table_has_a_row_per_learning_rate_and_hidden_layer_and_a_column_per_L2()
    {
        var report = new StringWriter();
        _result.WriteReport(report);
        var lines = report.ToString().Split('\n');
        int rows = ModelSelectionGrid.LearningRates.Count * ModelSelectionGrid.HiddenUnits.Count;
        var tableRows = lines.Where(l => l.Count(c => c == '±') == ModelSelectionGrid.L2.Count).ToArray();
        Assert.Equal(rows, tableRows.Length);
        Assert.Contains(lines, l => l.StartsWith("Best: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_search_finds_what_the_lecture_says()
    {
        // A single hidden unit draws one line, so it cannot beat predicting "outside" (71 % of the points) by much;
        // four or more units with a useful learning rate and little L2 reach 95 %.
        Assert.True(_result.Search.Best.CrossValidation.Mean >= 0.95, _result.Search.Best.ToString());
        Assert.True(_result.Search.Best.Options.HiddenLayers[0] >= 4);
        foreach (float rate in ModelSelectionGrid.LearningRates)
            foreach (float l2 in ModelSelectionGrid.L2)
                Assert.True(_result.Score(1, l2, rate) <= 0.8, $"one unit scored {_result.Score(1, l2, rate):F3}");
        Assert.True(_result.Score(16, 0f, 0.1f) > _result.Score(16, 0.01f, 0.1f), "strong L2 should hurt");
    }

    [Fact]
    public void Heat_maps_show_one_matrix_per_learning_rate_on_a_shared_colour_scale()
    {
        var panels = SvgFigure.Parse(_result.Figure("gridsearch.svg")).Panels;
        Assert.Equal(ModelSelectionGrid.LearningRates.Count, panels.Count);
        var scale = panels[0].ColorBar;
        Assert.Equal(_result.Search.Entries.Min(e => e.CrossValidation.Mean), scale.Min, 12);
        foreach (var (panel, rate) in panels.Zip(ModelSelectionGrid.LearningRates))
        {
            Assert.Equal((ModelSelectionGrid.HiddenUnits.Count, ModelSelectionGrid.L2.Count), panel.HeatMapSize);
            Assert.Equal(scale, panel.ColorBar);
            var expected = ModelSelectionGrid.HiddenUnits.SelectMany(h => ModelSelectionGrid.L2.Select(l2 => Math.Round(_result.Score(h, l2, rate), 3)));
            Assert.Equal(expected, panel.CellValues);
        }
    }
}
