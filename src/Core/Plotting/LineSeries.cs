namespace MLNetNN.Plotting;

/// <summary>
/// A named line through (x, y) points, e.g. training loss per epoch. A point with a NaN or infinite coordinate
/// is skipped and breaks the line, so a missing validation value leaves a gap rather than a false segment.
/// </summary>
public sealed class LineSeries
{
    private readonly double[] _x, _y;

    /// <summary>Creates a series; the arrays are copied.</summary>
    /// <param name="name">Legend label; empty leaves the series out of the legend.</param>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates, one per x.</param>
    /// <exception cref="ArgumentException">The series is empty or x and y differ in length.</exception>
    public LineSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        (_x, _y) = SeriesData.Copy(name, x, y);
        Name = name;
    }

    /// <summary>Creates a series from single-precision values, as the engine's buffers hold them.</summary>
    /// <inheritdoc cref="LineSeries(string, IReadOnlyList{double}, IReadOnlyList{double})"/>
    public LineSeries(string name, IReadOnlyList<float> x, IReadOnlyList<float> y)
        : this(name, SeriesData.Widen(x, nameof(x)), SeriesData.Widen(y, nameof(y)))
    {
    }

    /// <summary>A series of y values at x = <paramref name="firstX"/>, <paramref name="firstX"/>+1, …; e.g. one value per epoch from 1.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is empty.</exception>
    public static LineSeries FromValues(string name, IReadOnlyList<double> y, double firstX = 1)
    {
        ArgumentNullException.ThrowIfNull(y);
        return new LineSeries(name, Enumerable.Range(0, y.Count).Select(i => firstX + i).ToArray(), y);
    }

    /// <summary>Legend label.</summary>
    public string Name { get; }

    /// <summary>X coordinates (a copy of the input).</summary>
    public IReadOnlyList<double> X => _x;

    /// <summary>Y coordinates (a copy of the input).</summary>
    public IReadOnlyList<double> Y => _y;

    /// <summary>Stroke colour as any SVG colour (e.g. <c>#d62728</c>); null takes the next <see cref="Palette"/> colour.</summary>
    public string? Color { get; set; }

    /// <summary>Draws the line dashed, e.g. for validation curves or derivatives.</summary>
    public bool Dashed { get; set; }

    /// <summary>Line width in pixels.</summary>
    public double Width { get; set; } = 2;

    /// <summary>A marker at each point; null for none.</summary>
    public MarkerShape? Marker { get; set; }

    internal LegendEntry Legend(string color) => new(Name, color, true, Dashed, Marker);

    internal void Draw(Svg svg, Frame frame, string color)
    {
        if (!(Width > 0) || !double.IsFinite(Width))
            throw new InvalidOperationException($"Series '{Name}': line width must be positive and finite.");
        svg.Open("g", ("class", "series line"), ("data-name", Name), ("data-count", _x.Length));
        var d = new System.Text.StringBuilder();
        bool pen = false;
        foreach (var (px, py) in Pixels(frame))
        {
            if (double.IsNaN(px)) { pen = false; continue; }
            d.Append(pen ? 'L' : 'M').Append(Svg.Num(px)).Append(' ').Append(Svg.Num(py));
            pen = true;
        }
        if (d.Length > 0)
            svg.Empty("path", ("d", d.ToString()), ("fill", "none"), ("stroke", color), ("stroke-width", Width),
                ("stroke-linejoin", "round"), ("stroke-dasharray", Dashed ? "6 3" : null));
        if (Marker is { } m)
            foreach (var (px, py) in Pixels(frame))
                if (!double.IsNaN(px)) Markers.Draw(svg, m, px, py, Width + 1.5, color);
        svg.Close("g");
    }

    /// <summary>Pixel positions, with (NaN, NaN) for a skipped point.</summary>
    internal IEnumerable<(double X, double Y)> Pixels(Frame frame)
    {
        for (int i = 0; i < _x.Length; i++)
            yield return double.IsFinite(_x[i]) && double.IsFinite(_y[i]) ? (frame.PX(_x[i]), frame.PY(_y[i])) : (double.NaN, double.NaN);
    }

    /// <summary>
    /// Points along the drawn line every few pixels, so <see cref="LegendPosition.Auto"/> also avoids long
    /// segments between sparse points (a straight line has only two).
    /// </summary>
    internal IEnumerable<(double X, double Y)> Samples(Frame frame)
    {
        (double X, double Y)? previous = null;
        foreach (var p in Pixels(frame))
        {
            if (double.IsNaN(p.X)) { previous = null; continue; }
            if (previous is { } q)
            {
                int n = (int)Math.Min(200, Math.Ceiling(Math.Max(Math.Abs(p.X - q.X), Math.Abs(p.Y - q.Y)) / 4));
                for (int k = 1; k < n; k++) yield return (q.X + (p.X - q.X) * k / n, q.Y + (p.Y - q.Y) * k / n);
            }
            yield return p;
            previous = p;
        }
    }
}
