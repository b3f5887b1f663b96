using MLNetNN.Plotting;
using Xunit;

namespace MLNetNN.Tests.Plotting;

public class FigureTests
{
    private static HeatMap Unit(int i)
    {
        var map = HeatMap.FromFunction((x, y) => Math.Tanh(i * x - y), new AxisRange(0, 1), new AxisRange(0, 1), 20, 20);
        map.Title = $"unit {i}";
        map.ShowColorBar = false;
        return map;
    }

    [Fact]
    public void Panels_are_laid_out_in_a_grid_with_unique_ids()
    {
        var figure = new Figure(3) { Title = "Hidden units", PanelWidth = 200, PanelHeight = 180 };
        for (int i = 0; i < 5; i++) figure.Panels.Add(Unit(i));
        var doc = SvgAssert.Parse(figure.ToSvg());
        Assert.Equal(5, doc.WithClass("panel").Count());
        Assert.Equal(600, doc.Root!.Number("width"));
        Assert.Equal(34 + 2 * 180, doc.Root!.Number("height"));
        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).Where(id => id is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(["unit 0", "unit 1", "unit 2", "unit 3", "unit 4"], doc.WithClass("title").Skip(1).Select(t => t.Value).ToArray());
    }

    [Fact]
    public void Panels_may_mix_chart_types()
    {
        var line = new LineChart();
        line.Lines.Add(LineSeries.FromValues("h0", [0.0, 1.0]));
        var figure = new Figure(2);
        figure.Panels.Add(line);
        figure.Panels.Add(Unit(1));
        var doc = SvgAssert.Parse(figure.ToSvg());
        Assert.Single(doc.WithClass("line-chart"));
        Assert.Single(doc.WithClass("heatmap"));
    }

    [Fact]
    public void An_empty_figure_says_so()
    {
        Assert.Throws<InvalidOperationException>(() => new Figure(2).ToSvg());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(0));
    }
}
