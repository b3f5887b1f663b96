namespace MLNetNN.Plotting;

/// <summary>
/// Lines (and optionally scatter points) on numeric x and y axes: training curves, activation functions.
/// Axis ranges are given or else widened to "nice" values around the data.
/// </summary>
/// <example>
/// <code>
/// var chart = new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss" };
/// chart.Lines.Add(LineSeries.FromValues("train", trainLoss));
/// chart.Lines.Add(LineSeries.FromValues("validation", validLoss) { Dashed = true });
/// chart.Save("loss.svg");
/// </code>
/// </example>
public sealed class LineChart : Chart
{
    /// <summary>X axis label.</summary>
    public string? XLabel { get; set; }

    /// <summary>Y axis label.</summary>
    public string? YLabel { get; set; }

    /// <summary>Fixed x range; null for a nice range around the data.</summary>
    public AxisRange? XRange { get; set; }

    /// <summary>Fixed y range; null for a nice range around the data.</summary>
    public AxisRange? YRange { get; set; }

    /// <summary>Where the legend goes; it lists every series with a non-empty name.</summary>
    public LegendPosition Legend { get; set; } = LegendPosition.Auto;

    /// <summary>Line series, drawn in order and coloured from the <see cref="Palette"/> unless they set a colour.</summary>
    public IList<LineSeries> Lines { get; } = new List<LineSeries>();

    /// <summary>Scatter series, drawn over the lines; they continue the palette after the lines.</summary>
    public IList<ScatterSeries> Scatters { get; } = new List<ScatterSeries>();

    internal override void Render(Svg svg, Box bounds, string id)
    {
        if (Lines.Count + Scatters.Count == 0)
            throw new InvalidOperationException("The line chart has no series; add a LineSeries or ScatterSeries first.");
        if (Lines.Any(l => l is null) || Scatters.Any(s => s is null))
            throw new InvalidOperationException("The line chart holds a null series.");

        string LineColor(int i) => Lines[i].Color ?? Palette.Color(i);
        string ScatterColor(int i) => Scatters[i].Color ?? Palette.Color(Lines.Count + i);
        var entries = Lines.Select((l, i) => l.Legend(LineColor(i)))
            .Concat(Scatters.SelectMany((s, i) => s.Legend(ScatterColor(i))))
            .Where(e => e.Label.Length > 0).ToList();
        var sizes = TextSizes.For(bounds);
        bool outside = Legend == LegendPosition.Outside && entries.Count > 0;

        var x = SeriesData.Extent(Lines.SelectMany(l => l.X).Concat(Scatters.SelectMany(s => s.X)));
        var y = SeriesData.Extent(Lines.SelectMany(l => l.Y).Concat(Scatters.SelectMany(s => s.Y)));
        var frame = Frame.Layout(bounds, Title, XLabel, YLabel, outside ? LegendBox.Width(entries, sizes) + 12 : 0,
            px => Axis(XRange, x, px / 90),
            py => Axis(YRange, y, py / 50));

        svg.Open("g", ("class", "chart line-chart"));
        frame.DrawGrid(svg);
        frame.DefineClip(svg, id + "-clip");
        svg.Open("g", ("clip-path", $"url(#{id}-clip)"));
        for (int i = 0; i < Lines.Count; i++) Lines[i].Draw(svg, frame, LineColor(i));
        for (int i = 0; i < Scatters.Count; i++) Scatters[i].Draw(svg, frame, ScatterColor(i));
        svg.Close("g");
        frame.DrawAxes(svg, Title, XLabel, YLabel);
        var points = Lines.SelectMany(l => l.Samples(frame)).Concat(Scatters.SelectMany(s => s.Pixels(frame))).ToList();
        LegendBox.Draw(svg, entries, Legend, frame.Plot, sizes, points, frame.Plot.Right + 12);
        svg.Close("g");
    }

    private static AxisScale Axis(AxisRange? range, (double Min, double Max) data, double ticks) =>
        range is null ? AxisScale.Nice(data.Min, data.Max, Math.Max(2, (int)ticks)) : AxisScale.Fixed(range, Math.Max(2, (int)ticks));
}
