using System.Globalization;
using System.Xml.Linq;
using MLNetNN.Lecture;

namespace MLNetNN.Examples.Tests;

/// <summary>
/// Reads an example's SVG back through the self-describing attributes the chart writer puts in it: <c>class</c> names
/// (panel, series, axis x/y, heatmap, colorbar) and <c>data-*</c> values (series name and point count, axis and colour-bar
/// ranges, heat-map size).
/// </summary>
internal sealed class SvgFigure
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private SvgFigure(XElement root) => Root = root;

    public XElement Root { get; }

    /// <summary>Parses the figure's SVG (failing the test if it is not well-formed XML or not an svg document).</summary>
    public static SvgFigure Parse(LectureFigure figure)
    {
        var doc = XDocument.Parse(figure.Svg);
        Assert.Equal(Ns + "svg", doc.Root!.Name);
        return new SvgFigure(doc.Root);
    }

    /// <summary>The panels of a multi-panel figure, in order.</summary>
    public IReadOnlyList<SvgFigure> Panels => WithClass(Root, "panel").Select(p => new SvgFigure(p)).ToArray();

    /// <summary>The data-name of every series (lines and scatters), in drawing order.</summary>
    public string[] SeriesNames => WithClass(Root, "series").Select(s => (string)s.Attribute("data-name")!).ToArray();

    /// <summary>The number of points of the named series.</summary>
    public int PointCount(string series) =>
        int.Parse((string)Assert.Single(WithClass(Root, "series"), s => (string?)s.Attribute("data-name") == series).Attribute("data-count")!, CultureInfo.InvariantCulture);

    /// <summary>The data range of the x or y axis.</summary>
    public (double Min, double Max) Axis(char axis) => Range(Assert.Single(WithClass(Root, "axis"), a => HasClass(a, axis.ToString())));

    /// <summary>The value range of the colour bar.</summary>
    public (double Min, double Max) ColorBar => Range(Assert.Single(WithClass(Root, "colorbar")));

    /// <summary>Rows and columns of the heat map's cells.</summary>
    public (int Rows, int Columns) HeatMapSize
    {
        get
        {
            var map = Assert.Single(WithClass(Root, "heatmap"));
            return (int.Parse((string)map.Attribute("data-rows")!, CultureInfo.InvariantCulture), int.Parse((string)map.Attribute("data-cols")!, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The texts with the given class (e.g. "title", "tick").</summary>
    public string[] Texts(string cls) => Root.Descendants(Ns + "text").Where(t => HasClass(t, cls)).Select(t => t.Value).ToArray();

    /// <summary>The numbers written in heat-map cells.</summary>
    public double[] CellValues => WithClass(Root, "annotations").SelectMany(a => a.Elements(Ns + "text"))
        .Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToArray();

    private static (double, double) Range(XElement e) =>
        (double.Parse((string)e.Attribute("data-min")!, CultureInfo.InvariantCulture), double.Parse((string)e.Attribute("data-max")!, CultureInfo.InvariantCulture));

    private static bool HasClass(XElement e, string cls) => ((string?)e.Attribute("class"))?.Split(' ').Contains(cls) == true;

    private static IEnumerable<XElement> WithClass(XElement root, string cls) => root.Descendants().Where(e => HasClass(e, cls));
}
