using System.Globalization;
using System.Text;

namespace MLNetNN.Plotting;

/// <summary>
/// A grid of values shown as coloured cells, with a colour bar. Two kinds:
/// <list type="bullet">
/// <item><see cref="FromGrid"/>/<see cref="FromFunction"/>: cells tile a numeric x–y region, row 0 at the bottom
/// (decision regions, a hidden unit's response); scatter points and lines can be drawn on top in data coordinates.</item>
/// <item><see cref="FromMatrix(double[,], IReadOnlyList{string}, IReadOnlyList{string})"/>: labelled rows and columns,
/// row 0 at the top like a printed matrix (confusion matrix, grid-search scores); <see cref="ShowValues"/> writes numbers in cells.</item>
/// </list>
/// </summary>
/// <example>
/// <code>
/// var map = HeatMap.FromFunction((x, y) => model.Predict(x, y), new AxisRange(0, 1), new AxisRange(0, 1), 200, 200);
/// map.ColorMap = ColorMap.Classes(2);
/// map.Scatters.Add(new ScatterSeries("train", xs, ys, labels));
/// map.Save("regions.svg");
/// </code>
/// </example>
public sealed class HeatMap : Chart
{
    /// <summary>
    /// Continuous colour maps are quantised to this many levels. Neighbouring cells of equal colour are merged into one
    /// shape, so a smooth 200×200 probability map stays a few hundred kilobytes; 64 levels show no visible banding.
    /// </summary>
    private const int ColorLevels = 64;

    private readonly double[,] _values;
    private readonly AxisRange? _xRange, _yRange;
    private readonly string[]? _rowLabels, _columnLabels;

    private HeatMap(double[,] values, AxisRange? x, AxisRange? y, string[]? rowLabels, string[]? columnLabels)
    {
        _values = values;
        _xRange = x;
        _yRange = y;
        _rowLabels = rowLabels;
        _columnLabels = columnLabels;
        Width = 600;
        Height = 480;
    }

    /// <summary>
    /// Cells tiling [x.Min, x.Max] × [y.Min, y.Max]: <c>values[r, c]</c> covers column c from the left and row r from
    /// the bottom, so its centre is (x.Min + (c + ½)·Δx, y.Min + (r + ½)·Δy). NaN cells are left blank. The array is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The grid is empty.</exception>
    public static HeatMap FromGrid(double[,] values, AxisRange x, AxisRange y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return new HeatMap(CopyChecked(values), x, y, null, null);
    }

    /// <summary>
    /// Samples <paramref name="f"/>(x, y) at the centres of a <paramref name="columns"/> × <paramref name="rows"/> grid over
    /// the region, e.g. a classifier's class index or P(class 1), or one hidden unit's activation.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A grid dimension is below 1.</exception>
    public static HeatMap FromFunction(Func<double, double, double> f, AxisRange x, AxisRange y, int columns = 100, int rows = 100)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var values = new double[rows, columns];
        double dx = (x.Max - x.Min) / columns, dy = (y.Max - y.Min) / rows;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                values[r, c] = f(x.Min + (c + 0.5) * dx, y.Min + (r + 0.5) * dy);
        return new HeatMap(values, x, y, null, null);
    }

    /// <summary>A matrix with labelled rows (row 0 at the top) and columns. The array is copied.</summary>
    /// <exception cref="ArgumentException">The matrix is empty or the label counts do not match its size.</exception>
    public static HeatMap FromMatrix(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels)
    {
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        var copy = CopyChecked(values);
        if (rowLabels.Count != copy.GetLength(0))
            throw new ArgumentException($"{rowLabels.Count} row labels for a matrix with {copy.GetLength(0)} rows.", nameof(rowLabels));
        if (columnLabels.Count != copy.GetLength(1))
            throw new ArgumentException($"{columnLabels.Count} column labels for a matrix with {copy.GetLength(1)} columns.", nameof(columnLabels));
        if (rowLabels.Concat(columnLabels).Any(l => l is null))
            throw new ArgumentException("Row and column labels must not be null.", nameof(rowLabels));
        return new HeatMap(copy, null, null, rowLabels.ToArray(), columnLabels.ToArray());
    }

    /// <summary>A matrix of counts (e.g. a confusion matrix: rows actual, columns predicted); cell numbers are shown.</summary>
    /// <inheritdoc cref="FromMatrix(double[,], IReadOnlyList{string}, IReadOnlyList{string})"/>
    public static HeatMap FromMatrix(int[,] counts, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var values = new double[counts.GetLength(0), counts.GetLength(1)];
        for (int r = 0; r < values.GetLength(0); r++)
            for (int c = 0; c < values.GetLength(1); c++)
                values[r, c] = counts[r, c];
        var map = FromMatrix(values, rowLabels, columnLabels);
        map.ShowValues = true;
        map.ValueFormat = "0";
        map.ColorMap = ColorMap.Blues;
        return map;
    }

    /// <summary>Number of rows.</summary>
    public int Rows => _values.GetLength(0);

    /// <summary>Number of columns.</summary>
    public int Columns => _values.GetLength(1);

    /// <summary>X axis label.</summary>
    public string? XLabel { get; set; }

    /// <summary>Y axis label.</summary>
    public string? YLabel { get; set; }

    /// <summary>How values become colours.</summary>
    public ColorMap ColorMap { get; set; } = ColorMap.Viridis;

    /// <summary>Values mapped to the ends of a continuous colour map (values outside are clamped); null for the data's min and max.
    /// Set it to share one scale across the panels of a figure. Ignored by categorical maps.</summary>
    public AxisRange? ValueRange { get; set; }

    /// <summary>Draws the colour bar to the right of the plot.</summary>
    public bool ShowColorBar { get; set; } = true;

    /// <summary>Label beside the colour bar, e.g. "P(class 1)" or "mean CV accuracy".</summary>
    public string? ColorBarLabel { get; set; }

    /// <summary>Writes each cell's value in the cell, in black or white, whichever reads better on its colour.</summary>
    public bool ShowValues { get; set; }

    /// <summary>.NET number format of cell values, e.g. "0" for counts or "0.000" for accuracies.</summary>
    public string ValueFormat { get; set; } = "0.##";

    /// <summary>Where the legend of the overlays goes; it lists named scatter classes and lines.</summary>
    public LegendPosition Legend { get; set; } = LegendPosition.Auto;

    /// <summary>Points drawn over the cells, in data coordinates (grid maps only).</summary>
    public IList<ScatterSeries> Scatters { get; } = new List<ScatterSeries>();

    /// <summary>Lines drawn over the cells, e.g. a decision boundary, in data coordinates (grid maps only).</summary>
    public IList<LineSeries> Lines { get; } = new List<LineSeries>();

    private bool IsMatrix => _rowLabels is not null;

    internal override void Render(Svg svg, Box bounds, string id)
    {
        ArgumentNullException.ThrowIfNull(ColorMap);
        ArgumentNullException.ThrowIfNull(ValueFormat);
        if (IsMatrix && Scatters.Count + Lines.Count > 0)
            throw new InvalidOperationException("Scatter points and lines can only be drawn on a heat map made with FromGrid or FromFunction.");
        if (Lines.Any(l => l is null) || Scatters.Any(s => s is null))
            throw new InvalidOperationException("The heat map holds a null series.");

        var sizes = TextSizes.For(bounds);
        var (vmin, vmax) = ColorRange();
        var bar = ShowColorBar ? ColorBarScale(vmin, vmax) : null;
        string LineColor(int i) => Lines[i].Color ?? "#222222";
        string ScatterColor(int i) => Scatters[i].Color ?? Palette.Color(i);
        var entries = Lines.Select((l, i) => l.Legend(LineColor(i)))
            .Concat(Scatters.SelectMany((s, i) => s.Legend(ScatterColor(i))))
            .Where(e => e.Label.Length > 0).ToList();
        bool outside = Legend == LegendPosition.Outside && entries.Count > 0;

        double barWidth = bar is null ? 0 : ColorBarWidth(bar, sizes);
        double reserve = barWidth + (outside ? LegendBox.Width(entries, sizes) + 12 : 0);
        var frame = Frame.Layout(bounds, Title, XLabel, YLabel, reserve,
            px => IsMatrix ? AxisScale.Categories(_columnLabels!, false) : AxisScale.Fixed(_xRange!, Math.Max(2, (int)(px / 90))),
            py => IsMatrix ? AxisScale.Categories(_rowLabels!, true) : AxisScale.Fixed(_yRange!, Math.Max(2, (int)(py / 50))));

        var lut = ColorTable();
        svg.Open("g", ("class", IsMatrix ? "chart heatmap-chart matrix" : "chart heatmap-chart"));
        DrawCells(svg, frame, vmin, vmax, lut);
        if (ShowValues) DrawValues(svg, frame, vmin, vmax, lut);
        if (!IsMatrix)
        {
            frame.DefineClip(svg, id + "-clip");
            svg.Open("g", ("clip-path", $"url(#{id}-clip)"));
            for (int i = 0; i < Lines.Count; i++) Lines[i].Draw(svg, frame, LineColor(i));
            for (int i = 0; i < Scatters.Count; i++) Scatters[i].Draw(svg, frame, ScatterColor(i));
            svg.Close("g");
        }
        frame.DrawAxes(svg, Title, XLabel, YLabel);
        if (bar is not null) DrawColorBar(svg, frame, bar, vmin, vmax, lut);
        var points = Lines.SelectMany(l => l.Samples(frame)).Concat(Scatters.SelectMany(s => s.Pixels(frame))).ToList();
        LegendBox.Draw(svg, entries, Legend, frame.Plot, sizes, points, frame.Plot.Right + barWidth + 4);
        svg.Close("g");
    }

    /// <summary>The values at the two ends of the colour map: a categorical map spans its class indices.</summary>
    private (double Min, double Max) ColorRange()
    {
        if (ColorMap.IsCategorical) return (0, Math.Max(1, ColorMap.ClassNames.Count - 1));
        if (ValueRange is { } range) return (range.Min, range.Max);
        var (min, max) = SeriesData.Extent(_values.Cast<double>());
        if (double.IsNaN(min)) return (0, 1);
        return min == max ? (min - 0.5, max + 0.5) : (min, max);
    }

    /// <summary>The colours in use: one per class, or one per quantisation level of a continuous map.</summary>
    private int[] ColorTable() => ColorMap.IsCategorical
        ? Enumerable.Range(0, ColorMap.ClassNames.Count).Select(i => ColorMap.Rgb(i)).ToArray()
        : Enumerable.Range(0, ColorLevels).Select(i => ColorMap.Rgb(i / (double)(ColorLevels - 1))).ToArray();

    /// <summary>Index into the colour table of a value; -1 for NaN (blank cell).</summary>
    private int Level(double v, double vmin, double vmax, int[] lut)
    {
        if (double.IsNaN(v)) return -1;
        double t = ColorMap.IsCategorical ? Math.Round(v) : (v - vmin) / (vmax - vmin) * (lut.Length - 1);
        return (int)Math.Clamp(Math.Round(t), 0, lut.Length - 1);
    }

    /// <summary>
    /// Cells as one path per colour, each row's runs of equal colour merged into a single rectangle: far smaller than a
    /// rect per cell. Rectangles use absolute edge coordinates shared by neighbours, so crisp-edge snapping leaves no seams.
    /// </summary>
    private void DrawCells(Svg svg, Frame frame, double vmin, double vmax, int[] lut)
    {
        var plot = frame.Plot;
        var xEdges = Enumerable.Range(0, Columns + 1).Select(c => Svg.Num(plot.X + c * plot.W / Columns)).ToArray();
        var yEdges = Enumerable.Range(0, Rows + 1)   // yEdges[r] is the top of row r
            .Select(r => Svg.Num(IsMatrix ? plot.Y + r * plot.H / Rows : plot.Bottom - (r + 1) * plot.H / Rows)).ToArray();
        var paths = new StringBuilder?[lut.Length];
        var order = new List<int>();   // colours in order of first use, so the output is deterministic
        for (int r = 0; r < Rows; r++)
        {
            string top = yEdges[r], bottom = IsMatrix ? yEdges[r + 1] : r == 0 ? Svg.Num(plot.Bottom) : yEdges[r - 1];
            for (int c = 0; c < Columns;)
            {
                int level = Level(_values[r, c], vmin, vmax, lut);
                int end = c + 1;
                while (end < Columns && Level(_values[r, end], vmin, vmax, lut) == level) end++;
                if (level >= 0)
                {
                    if (paths[level] is null) { paths[level] = new StringBuilder(); order.Add(level); }
                    Rectangle(paths[level]!, xEdges[c], top, xEdges[end], bottom);
                }
                c = end;
            }
        }
        svg.Open("g", ("class", "heatmap"), ("data-rows", Rows), ("data-cols", Columns), ("data-colormap", ColorMap.Name),
            ("shape-rendering", "crispEdges"));
        foreach (int level in order) svg.Empty("path", ("fill", Svg.Color(lut[level])), ("d", paths[level]!.ToString()));
        svg.Close("g");
    }

    private static void Rectangle(StringBuilder d, string left, string top, string right, string bottom) =>
        d.Append('M').Append(left).Append(' ').Append(top).Append('H').Append(right).Append('V').Append(bottom).Append('H').Append(left).Append('z');

    private void DrawValues(Svg svg, Frame frame, double vmin, double vmax, int[] lut)
    {
        var plot = frame.Plot;
        double cw = plot.W / Columns, ch = plot.H / Rows;
        var texts = new string?[Rows, Columns];
        int longest = 1;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                if (!double.IsNaN(_values[r, c]))
                {
                    texts[r, c] = _values[r, c].ToString(ValueFormat, CultureInfo.InvariantCulture);
                    longest = Math.Max(longest, texts[r, c]!.Length);
                }
        double size = Math.Max(4, Math.Min(frame.Sizes.Legend, Math.Min(ch * 0.5, (cw - 4) / (0.6 * longest))));
        svg.Open("g", ("class", "annotations"), ("font-size", size), ("text-anchor", "middle"));
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
            {
                if (texts[r, c] is not { } text) continue;
                double cy = IsMatrix ? plot.Y + (r + 0.5) * ch : plot.Bottom - (r + 0.5) * ch;
                int rgb = lut[Level(_values[r, c], vmin, vmax, lut)];
                double luminance = 0.2126 * (rgb >> 16) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
                svg.Text(text, ("x", plot.X + (c + 0.5) * cw), ("y", cy + size * 0.35), ("fill", luminance < 128 ? "#ffffff" : "#000000"));
            }
        svg.Close("g");
    }

    private AxisScale ColorBarScale(double vmin, double vmax) => ColorMap.IsCategorical
        ? AxisScale.Categories(ColorMap.ClassNames, false)
        : AxisScale.Fixed(new AxisRange(vmin, vmax), 5);

    private const double BarGap = 16, BarThickness = 16;

    private double ColorBarWidth(AxisScale bar, TextSizes s) =>
        BarGap + BarThickness + 4 + 3 + Frame.MaxWidth(bar.Labels, s.Tick) + (string.IsNullOrEmpty(ColorBarLabel) ? 0 : s.Label + 10);

    /// <summary>The bar, drawn with the same quantised colours as the cells so it shows exactly what the cells mean.</summary>
    private void DrawColorBar(Svg svg, Frame frame, AxisScale bar, double vmin, double vmax, int[] lut)
    {
        var plot = frame.Plot;
        var s = frame.Sizes;
        double x = plot.Right + BarGap, band = plot.H / lut.Length;
        svg.Open("g", ("class", "colorbar"), ("data-min", Svg.Exact(vmin)), ("data-max", Svg.Exact(vmax)), ("data-colormap", ColorMap.Name));
        svg.Open("g", ("shape-rendering", "crispEdges"));
        for (int i = 0; i < lut.Length; i++)
        {
            var d = new StringBuilder();
            Rectangle(d, Svg.Num(x), Svg.Num(plot.Bottom - (i + 1) * band), Svg.Num(x + BarThickness), Svg.Num(plot.Bottom - i * band));
            svg.Empty("path", ("fill", Svg.Color(lut[i])), ("d", d.ToString()));
        }
        svg.Close("g");
        svg.Empty("rect", ("x", x), ("y", plot.Y), ("width", BarThickness), ("height", plot.H), ("fill", "none"), ("stroke", "#333333"));
        double BarY(double v) => ColorMap.IsCategorical
            ? plot.Bottom - bar.Unit(v) * plot.H
            : plot.Bottom - (v - vmin) / (vmax - vmin) * plot.H;
        for (int i = 0; i < bar.Ticks.Length; i++)
        {
            double y = BarY(bar.Ticks[i]);
            svg.Empty("line", ("x1", x + BarThickness), ("y1", y), ("x2", x + BarThickness + 4), ("y2", y), ("stroke", "#333333"));
            svg.Text(bar.Labels[i], ("class", "tick"), ("x", x + BarThickness + 7), ("y", y + s.Tick * 0.35), ("font-size", s.Tick));
        }
        if (!string.IsNullOrEmpty(ColorBarLabel))
        {
            double lx = x + BarThickness + 7 + Frame.MaxWidth(bar.Labels, s.Tick) + 6 + s.Label * 0.8, ly = plot.Y + plot.H / 2;
            svg.Text(ColorBarLabel, ("class", "label"), ("x", lx), ("y", ly), ("font-size", s.Label), ("text-anchor", "middle"),
                ("transform", $"rotate(-90 {Svg.Num(lx)} {Svg.Num(ly)})"));
        }
        svg.Close("g");
    }

    private static double[,] CopyChecked(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
            throw new ArgumentException($"The grid is {values.GetLength(0)}×{values.GetLength(1)}; it needs at least one cell.", nameof(values));
        return (double[,])values.Clone();
    }
}
