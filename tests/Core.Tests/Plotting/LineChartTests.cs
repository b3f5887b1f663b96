using System.Globalization;
using Xunit;
using System.Xml.Linq;
using MLNetNN.Plotting;

namespace MLNetNN.Tests.Plotting;

public class LineChartTests
{
    private static readonly XNamespace Ns = SvgAssert.Ns;

    private static LineChart TrainingCurves()
    {
        var chart = new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss" };
        chart.Lines.Add(LineSeries.FromValues("train", [2.0, 1.2, 0.8, 0.5, 0.4]));
        chart.Lines.Add(LineSeries.FromValues("validation", [2.1, 1.4, 1.0, 0.9, 0.95]));
        return chart;
    }

    [Fact]
    public void Svg_parses_and_names_every_series()
    {
        var doc = SvgAssert.Parse(TrainingCurves().ToSvg());
        var names = doc.WithClass("series").Select(e => e.Attr("data-name")).ToArray();
        Assert.Equal(["train", "validation"], names);
        Assert.Equal("Loss", doc.Single("title").Value);
    }

    [Fact]
    public void Explicit_axis_ranges_are_used_exactly()
    {
        var chart = TrainingCurves();
        chart.XRange = new AxisRange(0.5, 7.25);
        chart.YRange = new AxisRange(-0.1, 3);
        var doc = SvgAssert.Parse(chart.ToSvg());
        var x = doc.Single("axis", "x");
        var y = doc.Single("axis", "y");
        Assert.Equal(0.5, x.Number("data-min"));
        Assert.Equal(7.25, x.Number("data-max"));
        Assert.Equal(-0.1, y.Number("data-min"));
        Assert.Equal(3, y.Number("data-max"));
        Assert.All(y.TickLabels().Select(l => double.Parse(l, CultureInfo.InvariantCulture)), t => Assert.InRange(t, -0.1, 3));
    }

    [Fact]
    public void Auto_range_of_accuracy_curve_is_nice_and_contains_the_data()
    {
        var chart = new LineChart();
        chart.Lines.Add(LineSeries.FromValues("acc", [0.6, 0.75, 0.93]));
        var y = SvgAssert.Parse(chart.ToSvg()).Single("axis", "y");
        Assert.Equal(0.6, y.Number("data-min"));   // exactly, not 0.6000000000000001 from 6 × 0.1
        Assert.InRange(y.Number("data-max"), 0.93, 1.0);
        Assert.Contains(0.8, y.TickLabels().Select(l => double.Parse(l, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Auto_ranges_contain_all_data_and_have_evenly_spaced_nice_ticks_for_many_random_series()
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 200; trial++)
        {
            double scale = Math.Pow(10, rng.Next(-4, 6)), offset = (rng.NextDouble() - 0.5) * scale * 10;
            var ys = Enumerable.Range(0, rng.Next(1, 30)).Select(_ => offset + rng.NextDouble() * scale).ToArray();
            var chart = new LineChart();
            chart.Lines.Add(LineSeries.FromValues("s", ys));
            var doc = SvgAssert.Parse(chart.ToSvg());
            foreach (var (axis, data) in new[] { (doc.Single("axis", "y"), ys), (doc.Single("axis", "x"), Enumerable.Range(1, ys.Length).Select(i => (double)i).ToArray()) })
            {
                double min = axis.Number("data-min"), max = axis.Number("data-max");
                Assert.True(min <= data.Min() && max >= data.Max(), $"trial {trial}: [{min}, {max}] does not contain [{data.Min()}, {data.Max()}]");
                var ticks = axis.TickLabels().Select(l => double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                Assert.True(ticks.Length >= 2, $"trial {trial}: only {ticks.Length} ticks");
                double step = ticks[1] - ticks[0];
                double mantissa = step / Math.Pow(10, Math.Floor(Math.Round(Math.Log10(step), 6)));   // labels are rounded decimals
                Assert.True(new[] { 1.0, 2.0, 5.0 }.Any(m => Math.Abs(mantissa - m) < 1e-4), $"trial {trial}: step {step} is not 1, 2 or 5 × 10^k");
                for (int i = 1; i < ticks.Length; i++) Assert.Equal(step, ticks[i] - ticks[i - 1], step * 1e-6);
            }
        }
    }

    [Fact]
    public void A_NaN_point_breaks_the_line_and_does_not_disturb_the_range()
    {
        var chart = new LineChart();
        chart.Lines.Add(LineSeries.FromValues("validation", [1.0, 2.0, double.NaN, 3.0, 4.0]));
        var doc = SvgAssert.Parse(chart.ToSvg());
        string d = (string)doc.Single("series").Element(Ns + "path")!.Attribute("d")!;
        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.DoesNotContain("NaN", chart.ToSvg());
        Assert.Equal(4, doc.Single("axis", "y").Number("data-max"));
    }

    [Fact]
    public void An_all_NaN_series_renders_with_a_default_range()
    {
        var chart = new LineChart();
        chart.Lines.Add(LineSeries.FromValues("empty", [double.NaN, double.NaN]));
        var y = SvgAssert.Parse(chart.ToSvg()).Single("axis", "y");
        Assert.Equal(0, y.Number("data-min"));
        Assert.Equal(1, y.Number("data-max"));
    }

    [Fact]
    public void Legend_lists_named_series_and_scatter_classes()
    {
        var chart = TrainingCurves();
        chart.Lines.Add(LineSeries.FromValues("", [1.0, 1.0]));
        chart.Scatters.Add(new ScatterSeries("pts", [1.0, 2.0, 3.0], [1.0, 1.5, 2.0], [0, 1, 0]) { ClassNames = ["neg", "pos"] });
        var doc = SvgAssert.Parse(chart.ToSvg());
        var entries = doc.WithClass("legend-entry").Select(e => e.Attr("data-name")).ToArray();
        Assert.Equal(["train", "validation", "pts: neg", "pts: pos"], entries);
        Assert.Equal(["0", "1"], doc.WithClass("points").Select(g => g.Attr("data-class")).ToArray());
    }

    [Theory]
    [InlineData(LegendPosition.None, 0)]
    [InlineData(LegendPosition.Outside, 1)]
    [InlineData(LegendPosition.BottomLeft, 1)]
    public void Legend_position_none_hides_the_legend(LegendPosition position, int legends)
    {
        var chart = TrainingCurves();
        chart.Legend = position;
        Assert.Equal(legends, SvgAssert.Parse(chart.ToSvg()).WithClass("legend").Count());
    }

    [Fact]
    public void Outside_legend_lies_right_of_the_plot()
    {
        var chart = TrainingCurves();
        chart.Legend = LegendPosition.Outside;
        var doc = SvgAssert.Parse(chart.ToSvg());
        var frame = doc.Single("frame");
        var box = doc.Single("legend").Element(Ns + "rect")!;
        Assert.True(box.Number("x") > frame.Number("x") + frame.Number("width"));
        Assert.True(box.Number("x") + box.Number("width") <= chart.Width);
    }

    [Fact]
    public void Markers_are_drawn_at_each_finite_point()
    {
        var chart = new LineChart();
        chart.Lines.Add(new LineSeries("m", [1.0, 2.0, 3.0], [1.0, double.NaN, 2.0]) { Marker = MarkerShape.Circle });
        Assert.Equal(2, SvgAssert.Parse(chart.ToSvg()).Single("series").Descendants(Ns + "circle").Count());
    }

    [Fact]
    public void Markup_characters_in_text_are_escaped()
    {
        var chart = TrainingCurves();
        chart.Title = "a < b & c > \"d\"";
        chart.XLabel = "x\u0001y";   // not representable in XML: dropped rather than breaking the file
        chart.Lines.Add(LineSeries.FromValues("<&>", [1.0, 2.0]));
        var doc = SvgAssert.Parse(chart.ToSvg());
        Assert.Equal("a < b & c > \"d\"", doc.Single("title").Value);
        Assert.Contains(doc.WithClass("series"), e => (string?)e.Attribute("data-name") == "<&>");
        Assert.Contains(doc.WithClass("label"), e => e.Value == "xy");
    }

    [Fact]
    public void Output_is_byte_identical_across_renders_and_cultures()
    {
        var first = TrainingCurves().ToSvg();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(first, TrainingCurves().ToSvg());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.DoesNotContain(",5", first);
    }

    [Fact]
    public void Float_series_match_double_series()
    {
        var a = new LineChart();
        a.Lines.Add(new LineSeries("s", [1f, 2f, 3f], [0.5f, 0.25f, 0.125f]));
        var b = new LineChart();
        b.Lines.Add(new LineSeries("s", [1.0, 2.0, 3.0], [0.5, 0.25, 0.125]));
        Assert.Equal(b.ToSvg(), a.ToSvg());
    }

    [Fact]
    public void Mismatched_or_empty_series_are_rejected()
    {
        var e1 = Assert.Throws<ArgumentException>(() => new LineSeries("s", [1.0, 2.0], [1.0]));
        Assert.Contains("x has 2 values but y has 1", e1.Message);
        Assert.Throws<ArgumentException>(() => new LineSeries("s", Array.Empty<double>(), Array.Empty<double>()));
        Assert.Throws<ArgumentException>(() => new ScatterSeries("s", [1.0], [1.0], [0, 1]));
        Assert.Throws<ArgumentException>(() => new ScatterSeries("s", [1.0], [1.0], [-1]));
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(0, double.PositiveInfinity)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    public void Invalid_axis_ranges_are_rejected(double min, double max) =>
        Assert.Throws<ArgumentException>(() => new AxisRange(min, max));

    [Fact]
    public void A_chart_without_series_says_so()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new LineChart().ToSvg());
        Assert.Contains("no series", e.Message);
    }

    [Fact]
    public void Too_small_a_size_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineChart { Width = 10 });
}
