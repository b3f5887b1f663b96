using System.Globalization;
using Xunit;
using System.Text;
using System.Xml.Linq;
using MLNetNN.Plotting;

namespace MLNetNN.Tests.Plotting;

public class HeatMapTests
{
    private static readonly XNamespace Ns = SvgAssert.Ns;
    private static readonly AxisRange Unit = new(0, 1);

    [Fact]
    public void Grid_map_reports_its_size_axes_and_colour_range()
    {
        var values = new double[3, 4];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) values[r, c] = r * 4 + c - 2;
        var doc = SvgAssert.Parse(HeatMap.FromGrid(values, new AxisRange(-1, 1), new AxisRange(0, 2)).ToSvg());
        var cells = doc.Single("heatmap");
        Assert.Equal(3, cells.Number("data-rows"));
        Assert.Equal(4, cells.Number("data-cols"));
        Assert.Equal(-1, doc.Single("axis", "x").Number("data-min"));
        Assert.Equal(2, doc.Single("axis", "y").Number("data-max"));
        var bar = doc.Single("colorbar");
        Assert.Equal(-2, bar.Number("data-min"));
        Assert.Equal(9, bar.Number("data-max"));
    }

    [Fact]
    public void Value_range_sets_the_colour_bar()
    {
        var map = HeatMap.FromFunction((x, y) => x * y, Unit, Unit, 10, 10);
        map.ValueRange = new AxisRange(-1, 1);
        var bar = SvgAssert.Parse(map.ToSvg()).Single("colorbar");
        Assert.Equal(-1, bar.Number("data-min"));
        Assert.Equal(1, bar.Number("data-max"));
        Assert.Contains("0", bar.TickLabels());
    }

    [Fact]
    public void Class_regions_use_one_colour_per_class_with_row_zero_at_the_bottom()
    {
        // class 1 in the upper half of the unit square
        var map = HeatMap.FromFunction((x, y) => y > 0.5 ? 1 : 0, Unit, Unit, 20, 20);
        map.ColorMap = ColorMap.Classes("low", "high");
        var doc = SvgAssert.Parse(map.ToSvg());
        var paths = doc.Single("heatmap").Elements(Ns + "path").ToDictionary(p => (string)p.Attribute("fill")!, p => (string)p.Attribute("d")!);
        Assert.Equal(2, paths.Count);
        var frame = doc.Single("frame");
        double middle = frame.Number("y") + frame.Number("height") / 2;
        double MaxY(string d) => d.Split('M', StringSplitOptions.RemoveEmptyEntries)
            .Max(rect => double.Parse(rect.Split('V')[1].Split('H')[0], CultureInfo.InvariantCulture));
        Assert.True(MaxY(paths[map.ColorMap.ColorAt(1)]) <= middle + 0.01, "class 1 (y > 0.5) should fill the upper half");
        Assert.Equal(["low", "high"], doc.Single("colorbar").TickLabels());
    }

    [Fact]
    public void Equal_neighbouring_cells_are_merged_so_big_maps_stay_small()
    {
        var classes = HeatMap.FromFunction((x, y) => x + y > 1 ? 1 : 0, Unit, Unit, 200, 200);
        classes.ColorMap = ColorMap.Classes(2);
        string svg = classes.ToSvg();
        Assert.True(svg.Length < 100_000, $"class map is {svg.Length} bytes");
        // every row but the bottom one (all class 0) is two runs, whatever its width in cells
        Assert.Equal(399, SvgAssert.Parse(svg).Single("heatmap").Elements(Ns + "path").Sum(p => ((string)p.Attribute("d")!).Count(c => c == 'M')));

        var smooth = HeatMap.FromFunction((x, y) => Math.Sin(7 * x) * Math.Cos(5 * y), Unit, Unit, 200, 200).ToSvg();
        Assert.True(Encoding.UTF8.GetByteCount(smooth) < 1_500_000, $"smooth map is {smooth.Length} bytes");
    }

    [Fact]
    public void NaN_cells_are_left_blank()
    {
        var map = HeatMap.FromGrid(new[,] { { double.NaN, 1.0 }, { 2.0, double.NaN } }, Unit, Unit);
        var doc = SvgAssert.Parse(map.ToSvg());
        Assert.Equal(2, doc.Single("heatmap").Elements(Ns + "path").Count());
        Assert.Equal(1, doc.Single("colorbar").Number("data-min"));
    }

    [Fact]
    public void Confusion_matrix_shows_counts_and_labelled_axes_with_row_zero_on_top()
    {
        var map = HeatMap.FromMatrix(new[,] { { 50, 2 }, { 7, 41 } }, ["cat", "dog"], ["cat (pred)", "dog (pred)"]);
        var doc = SvgAssert.Parse(map.ToSvg());
        Assert.Equal(["50", "2", "7", "41"], doc.Single("annotations").Elements(Ns + "text").Select(t => t.Value).ToArray());
        Assert.Equal(["cat (pred)", "dog (pred)"], doc.Single("axis", "x").TickLabels());
        var y = doc.Single("axis", "y");
        Assert.Equal(["cat", "dog"], y.TickLabels());
        var rowY = y.Elements(Ns + "text").Where(t => (string?)t.Attribute("class") == "tick").Select(t => t.Number("y")).ToArray();
        Assert.True(rowY[0] < rowY[1], "row 0 should be drawn above row 1");
        Assert.Equal("blues", (string?)doc.Single("heatmap").Attribute("data-colormap"));
    }

    [Fact]
    public void Cell_text_is_dark_on_light_cells_and_light_on_dark_cells()
    {
        var map = HeatMap.FromMatrix(new[,] { { 0.0, 1.0 } }, ["r"], ["low", "high"]);
        map.ColorMap = ColorMap.Blues;
        map.ShowValues = true;
        var fills = SvgAssert.Parse(map.ToSvg()).Single("annotations").Elements(Ns + "text").Select(t => t.Attr("fill")).ToArray();
        Assert.Equal(["#000000", "#ffffff"], fills);
    }

    [Fact]
    public void Grid_search_scores_use_the_value_format()
    {
        var map = HeatMap.FromMatrix(new[,] { { 0.91234, 0.5 } }, ["(10)"], ["0.01", "0.1"]);
        map.ShowValues = true;
        map.ValueFormat = "0.000";
        var texts = SvgAssert.Parse(map.ToSvg()).Single("annotations").Elements(Ns + "text").Select(t => t.Value);
        Assert.Equal(["0.912", "0.500"], texts);
    }

    [Fact]
    public void Scatter_and_line_overlays_are_drawn_over_a_grid_map()
    {
        var map = HeatMap.FromFunction((x, y) => x, Unit, Unit, 5, 5);
        map.Scatters.Add(new ScatterSeries("train", [0.2, 0.8], [0.3, 0.7], [0, 1]));
        map.Lines.Add(new LineSeries("boundary", [0.0, 1.0], [1.0, 0.0]));
        var doc = SvgAssert.Parse(map.ToSvg());
        Assert.Equal(["boundary", "train"], doc.WithClass("series").Select(e => e.Attr("data-name")).ToArray());
        Assert.Equal(["boundary", "train: class 0", "train: class 1"], doc.WithClass("legend-entry").Select(e => e.Attr("data-name")).ToArray());
    }

    [Fact]
    public void Overlays_on_a_labelled_matrix_are_rejected()
    {
        var map = HeatMap.FromMatrix(new double[1, 1], ["a"], ["b"]);
        map.Scatters.Add(new ScatterSeries("p", [0.0], [0.0]));
        Assert.Throws<InvalidOperationException>(() => map.ToSvg());
    }

    [Fact]
    public void Mismatched_labels_and_empty_grids_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => HeatMap.FromMatrix(new double[2, 3], ["a", "b"], ["x", "y"]));
        Assert.Contains("2 column labels for a matrix with 3 columns", e.Message);
        Assert.Throws<ArgumentException>(() => HeatMap.FromMatrix(new double[2, 3], ["a"], ["x", "y", "z"]));
        Assert.Throws<ArgumentException>(() => HeatMap.FromGrid(new double[0, 3], Unit, Unit));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatMap.FromFunction((x, y) => 0, Unit, Unit, 0, 5));
    }

    [Fact]
    public void The_grid_is_copied_at_construction()
    {
        var values = new double[,] { { 1, 2 } };
        var map = HeatMap.FromGrid(values, Unit, Unit);
        string before = map.ToSvg();
        values[0, 0] = 100;
        Assert.Equal(before, map.ToSvg());
    }

    [Fact]
    public void Colour_maps_interpolate_and_validate()
    {
        Assert.Equal("#440154", ColorMap.Viridis.ColorAt(0));
        Assert.Equal("#fde725", ColorMap.Viridis.ColorAt(1));
        Assert.Equal("#fde725", ColorMap.Viridis.ColorAt(7));
        Assert.Equal("#808080", ColorMap.FromColors("#000000", "#ffffff").ColorAt(0.5));
        Assert.Equal("#ffffff", ColorMap.ClassProbability.ColorAt(0.5));
        Assert.Throws<ArgumentException>(() => ColorMap.FromColors("red", "#ffffff"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ColorMap.Classes(0));
    }
}
