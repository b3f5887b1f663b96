namespace MLNetNN.Plotting;

/// <summary>A rectangle in pixels.</summary>
internal readonly record struct Box(double X, double Y, double W, double H)
{
    public double Right => X + W;
    public double Bottom => Y + H;
}

/// <summary>Font sizes of one chart; shrunk a little for small panels so labels keep fitting.</summary>
internal sealed record TextSizes(double Title, double Label, double Tick, double Legend)
{
    public static TextSizes For(Box outer)
    {
        double s = Math.Clamp(Math.Min(outer.W / 560, outer.H / 380), 0.75, 1.0);
        return new TextSizes(15 * s, 13 * s, 11 * s, 12 * s);
    }
}

/// <summary>
/// The plot rectangle of a chart with its two axes, title and axis labels: computes margins from the label sizes so
/// nothing overlaps, then draws the grid, ticks and labels. Shared by line charts and heat maps.
/// </summary>
internal sealed class Frame
{
    private const double TickLength = 4;

    private Frame(Box plot, AxisScale x, AxisScale y, bool rotateX, TextSizes sizes)
    {
        Plot = plot;
        X = x;
        Y = y;
        RotateXLabels = rotateX;
        Sizes = sizes;
    }

    public Box Plot { get; }
    public AxisScale X { get; }
    public AxisScale Y { get; }
    public TextSizes Sizes { get; }
    private bool RotateXLabels { get; }

    /// <summary>Pixel x of data value <paramref name="v"/>.</summary>
    public double PX(double v) => Plot.X + X.Unit(v) * Plot.W;

    /// <summary>Pixel y of data value <paramref name="v"/> (SVG y grows downwards).</summary>
    public double PY(double v) => Plot.Bottom - Y.Unit(v) * Plot.H;

    /// <summary>
    /// Lays out the plot inside <paramref name="outer"/>, leaving <paramref name="rightReserve"/> pixels on the right
    /// (legend, colour bar). The axes are built from the pixel length they get, so tick density follows the size.
    /// </summary>
    public static Frame Layout(Box outer, string? title, string? xLabel, string? yLabel, double rightReserve,
        Func<double, AxisScale> makeX, Func<double, AxisScale> makeY)
    {
        var s = TextSizes.For(outer);
        double top = 12 + (string.IsNullOrEmpty(title) ? 0 : s.Title + 10);
        double bottom = 10 + TickLength + 4 + s.Tick + (string.IsNullOrEmpty(xLabel) ? 0 : s.Label + 8);
        double height = Math.Max(10, outer.H - top - bottom);
        var y = makeY(height);

        double left = 10 + (string.IsNullOrEmpty(yLabel) ? 0 : s.Label + 8) + MaxWidth(y.Labels, s.Tick) + TickLength + 4;
        double width = Math.Max(10, outer.W - left - rightReserve - 14);
        var x = makeX(width);
        if (!x.IsCategorical && x.Labels.Length > 0)   // the last numeric label is centred on the edge and sticks out
            width = Math.Max(10, width - Math.Max(0, Svg.TextWidth(x.Labels[^1], s.Tick) / 2 - 10));

        bool rotate = x.IsCategorical && MaxWidth(x.Labels, s.Tick) > width / Math.Max(1, x.Labels.Length) - 4;
        if (rotate)
        {
            height = Math.Max(10, height - MaxWidth(x.Labels, s.Tick) * 0.71);
            y = makeY(height);
        }
        return new Frame(new Box(outer.X + left, outer.Y + top, width, height), x, y, rotate, s);
    }

    /// <summary>Light grid lines at the numeric ticks, drawn under the data.</summary>
    public void DrawGrid(Svg svg)
    {
        svg.Open("g", ("class", "grid"), ("stroke", "#e5e5e5"), ("stroke-width", 1.0));
        foreach (double t in X.Ticks) svg.Empty("line", ("x1", PX(t)), ("y1", Plot.Y), ("x2", PX(t)), ("y2", Plot.Bottom));
        foreach (double t in Y.Ticks) svg.Empty("line", ("x1", Plot.X), ("y1", PY(t)), ("x2", Plot.Right), ("y2", PY(t)));
        svg.Close("g");
    }

    /// <summary>A clip path of the plot rectangle, so data outside a fixed axis range is cut at the frame.</summary>
    public void DefineClip(Svg svg, string id)
    {
        svg.Open("clipPath", ("id", id));
        svg.Empty("rect", ("x", Plot.X), ("y", Plot.Y), ("width", Plot.W), ("height", Plot.H));
        svg.Close("clipPath");
    }

    /// <summary>The frame, both axes with ticks and labels, and the title; drawn over the data.</summary>
    public void DrawAxes(Svg svg, string? title, string? xLabel, string? yLabel)
    {
        var s = Sizes;
        svg.Empty("rect", ("class", "frame"), ("x", Plot.X), ("y", Plot.Y), ("width", Plot.W), ("height", Plot.H),
            ("fill", "none"), ("stroke", "#333333"), ("stroke-width", 1.0));

        svg.Open("g", ("class", X.IsCategorical ? "axis x categorical" : "axis x"), ("data-min", Svg.Exact(X.Min)), ("data-max", Svg.Exact(X.Max)));
        double labelTop = Plot.Bottom + TickLength + 3;
        for (int i = 0; i < X.Ticks.Length; i++)
        {
            double px = PX(X.Ticks[i]);
            svg.Empty("line", ("x1", px), ("y1", Plot.Bottom), ("x2", px), ("y2", Plot.Bottom + TickLength), ("stroke", "#333333"));
            if (RotateXLabels)
                svg.Text(X.Labels[i], ("class", "tick"), ("x", px), ("y", labelTop + s.Tick * 0.7), ("font-size", s.Tick), ("text-anchor", "end"),
                    ("transform", $"rotate(-45 {Svg.Num(px)} {Svg.Num(labelTop + s.Tick * 0.7)})"));
            else
                svg.Text(X.Labels[i], ("class", "tick"), ("x", px), ("y", labelTop + s.Tick * 0.8), ("font-size", s.Tick), ("text-anchor", "middle"));
        }
        if (!string.IsNullOrEmpty(xLabel))
        {
            double extra = RotateXLabels ? MaxWidth(X.Labels, s.Tick) * 0.71 : s.Tick;
            svg.Text(xLabel, ("class", "label"), ("x", Plot.X + Plot.W / 2), ("y", labelTop + extra + 6 + s.Label * 0.8),
                ("font-size", s.Label), ("text-anchor", "middle"));
        }
        svg.Close("g");

        svg.Open("g", ("class", Y.IsCategorical ? "axis y categorical" : "axis y"), ("data-min", Svg.Exact(Y.Min)), ("data-max", Svg.Exact(Y.Max)));
        for (int i = 0; i < Y.Ticks.Length; i++)
        {
            double py = PY(Y.Ticks[i]);
            svg.Empty("line", ("x1", Plot.X - TickLength), ("y1", py), ("x2", Plot.X), ("y2", py), ("stroke", "#333333"));
            svg.Text(Y.Labels[i], ("class", "tick"), ("x", Plot.X - TickLength - 3), ("y", py + s.Tick * 0.35), ("font-size", s.Tick), ("text-anchor", "end"));
        }
        if (!string.IsNullOrEmpty(yLabel))
        {
            double lx = Plot.X - TickLength - 4 - MaxWidth(Y.Labels, s.Tick) - 8;
            double ly = Plot.Y + Plot.H / 2;
            svg.Text(yLabel, ("class", "label"), ("x", lx), ("y", ly), ("font-size", s.Label), ("text-anchor", "middle"),
                ("transform", $"rotate(-90 {Svg.Num(lx)} {Svg.Num(ly)})"));
        }
        svg.Close("g");

        if (!string.IsNullOrEmpty(title))
            svg.Text(title, ("class", "title"), ("x", Plot.X + Plot.W / 2), ("y", Plot.Y - 10), ("font-size", s.Title),
                ("font-weight", "bold"), ("text-anchor", "middle"));
    }

    public static double MaxWidth(IEnumerable<string> labels, double size) => labels.Select(l => Svg.TextWidth(l, size)).DefaultIfEmpty(0).Max();
}
