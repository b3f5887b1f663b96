namespace MLNetNN.Plotting;

/// <summary>One legend row: a line swatch and/or a marker, then the label.</summary>
internal sealed record LegendEntry(string Label, string Color, bool Line, bool Dashed, MarkerShape? Marker);

/// <summary>Measures, places and draws a legend box.</summary>
internal static class LegendBox
{
    private const double Pad = 6, Swatch = 24, Gap = 6, Inset = 8;

    public static double Width(IReadOnlyList<LegendEntry> entries, TextSizes s) =>
        2 * Pad + Swatch + Gap + Frame.MaxWidth(entries.Select(e => e.Label), s.Legend);

    public static double Height(IReadOnlyList<LegendEntry> entries, TextSizes s) => 2 * Pad + entries.Count * RowHeight(s);

    private static double RowHeight(TextSizes s) => s.Legend * 1.5;

    /// <summary>
    /// Draws the legend for <paramref name="position"/>; for <see cref="LegendPosition.Auto"/> it takes the inside corner
    /// whose box covers the fewest of <paramref name="dataPoints"/> (pixel positions of the data), preferring top right.
    /// <paramref name="outsideX"/> is where an <see cref="LegendPosition.Outside"/> legend starts.
    /// </summary>
    public static void Draw(Svg svg, IReadOnlyList<LegendEntry> entries, LegendPosition position, Box plot, TextSizes s,
        IReadOnlyList<(double X, double Y)> dataPoints, double outsideX)
    {
        if (entries.Count == 0 || position == LegendPosition.None) return;
        double w = Width(entries, s), h = Height(entries, s);
        Box Corner(LegendPosition p) => p switch
        {
            LegendPosition.TopLeft => new Box(plot.X + Inset, plot.Y + Inset, w, h),
            LegendPosition.BottomRight => new Box(plot.Right - Inset - w, plot.Bottom - Inset - h, w, h),
            LegendPosition.BottomLeft => new Box(plot.X + Inset, plot.Bottom - Inset - h, w, h),
            _ => new Box(plot.Right - Inset - w, plot.Y + Inset, w, h),
        };
        Box box = position switch
        {
            LegendPosition.Outside => new Box(outsideX, plot.Y, w, h),
            LegendPosition.Auto => new[] { LegendPosition.TopRight, LegendPosition.TopLeft, LegendPosition.BottomRight, LegendPosition.BottomLeft }
                .Select(Corner)
                .MinBy(b => dataPoints.Count(p => p.X >= b.X - 2 && p.X <= b.Right + 2 && p.Y >= b.Y - 2 && p.Y <= b.Bottom + 2)),
            _ => Corner(position),
        };

        svg.Open("g", ("class", "legend"), ("font-size", s.Legend));
        svg.Empty("rect", ("x", box.X), ("y", box.Y), ("width", box.W), ("height", box.H), ("fill", "#ffffff"), ("fill-opacity", 0.85),
            ("stroke", "#bbbbbb"), ("rx", 3.0));
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            double cy = box.Y + Pad + (i + 0.5) * RowHeight(s);
            double sx = box.X + Pad;
            svg.Open("g", ("class", "legend-entry"), ("data-name", e.Label));
            if (e.Line)
                svg.Empty("line", ("x1", sx), ("y1", cy), ("x2", sx + Swatch), ("y2", cy), ("stroke", e.Color), ("stroke-width", 2.0),
                    ("stroke-dasharray", e.Dashed ? "6 3" : null));
            if (e.Marker is { } m) Markers.Draw(svg, m, sx + Swatch / 2, cy, 4, e.Color);
            svg.Text(e.Label, ("x", sx + Swatch + Gap), ("y", cy + s.Legend * 0.35));
            svg.Close("g");
        }
        svg.Close("g");
    }
}
