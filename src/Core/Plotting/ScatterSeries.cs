namespace MLNetNN.Plotting;

/// <summary>
/// Points without connecting lines, e.g. training examples over a decision-region map. With class indices, each
/// class gets its own <see cref="Palette"/> colour and marker shape and its own legend entry. Non-finite points are skipped.
/// </summary>
public sealed class ScatterSeries
{
    private static readonly MarkerShape[] ClassShapes =
        [MarkerShape.Circle, MarkerShape.Square, MarkerShape.Triangle, MarkerShape.Diamond, MarkerShape.Cross];

    private readonly double[] _x, _y;
    private readonly int[]? _classes;

    /// <summary>Creates a series; the arrays are copied.</summary>
    /// <param name="name">Legend label (prefix of the class labels when <paramref name="classes"/> is given); empty for no prefix.</param>
    /// <param name="x">X coordinates.</param>
    /// <param name="y">Y coordinates, one per x.</param>
    /// <param name="classes">Optional class index (0, 1, …) per point.</param>
    /// <exception cref="ArgumentException">The series is empty, lengths differ, or a class index is negative.</exception>
    public ScatterSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        (_x, _y) = SeriesData.Copy(name, x, y);
        if (classes is not null)
        {
            if (classes.Count != _x.Length)
                throw new ArgumentException($"Series '{name}': {classes.Count} class indices for {_x.Length} points; they must match.", nameof(classes));
            if (classes.Any(c => c < 0))
                throw new ArgumentException($"Series '{name}': class indices must be 0 or more.", nameof(classes));
            _classes = classes.ToArray();
        }
        Name = name;
    }

    /// <summary>Creates a series from single-precision values, as the engine's data sets hold them.</summary>
    /// <inheritdoc cref="ScatterSeries(string, IReadOnlyList{double}, IReadOnlyList{double}, IReadOnlyList{int})"/>
    public ScatterSeries(string name, IReadOnlyList<float> x, IReadOnlyList<float> y, IReadOnlyList<int>? classes = null)
        : this(name, SeriesData.Widen(x, nameof(x)), SeriesData.Widen(y, nameof(y)), classes)
    {
    }

    /// <summary>Legend label.</summary>
    public string Name { get; }

    /// <summary>X coordinates (a copy of the input).</summary>
    public IReadOnlyList<double> X => _x;

    /// <summary>Y coordinates (a copy of the input).</summary>
    public IReadOnlyList<double> Y => _y;

    /// <summary>Class index per point, or null.</summary>
    public IReadOnlyList<int>? Classes => _classes;

    /// <summary>Legend labels of the class indices (e.g. the data set's class names); missing ones read "class k".</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>One colour for every point (any SVG colour); null takes the palette (by class, or the next series colour).</summary>
    public string? Color { get; set; }

    /// <summary>One shape for every point; null gives each class its own shape (circles without classes).</summary>
    public MarkerShape? Shape { get; set; }

    /// <summary>Marker radius in pixels.</summary>
    public double Size { get; set; } = 4;

    /// <summary>The distinct classes in ascending order, or a single group -1 when there are no classes.</summary>
    private int[] Groups => _classes is null ? [-1] : _classes.Distinct().Order().ToArray();

    private string GroupColor(int group, string seriesColor) => Color ?? (group < 0 ? seriesColor : Palette.Color(group));

    private MarkerShape GroupShape(int group) => Shape ?? (group < 0 ? MarkerShape.Circle : ClassShapes[group % ClassShapes.Length]);

    private string GroupLabel(int group)
    {
        if (group < 0) return Name;
        string label = ClassNames is { } names && group < names.Count ? names[group] : $"class {group}";
        return Name.Length == 0 ? label : $"{Name}: {label}";
    }

    internal IEnumerable<LegendEntry> Legend(string seriesColor) =>
        Groups.Select(g => new LegendEntry(GroupLabel(g), GroupColor(g, seriesColor), false, false, GroupShape(g)));

    internal void Draw(Svg svg, Frame frame, string seriesColor)
    {
        if (!(Size > 0) || !double.IsFinite(Size))
            throw new InvalidOperationException($"Series '{Name}': marker size must be positive and finite.");
        svg.Open("g", ("class", "series scatter"), ("data-name", Name), ("data-count", _x.Length), ("stroke", "#222222"), ("stroke-width", 0.6));
        foreach (int g in Groups)
        {
            svg.Open("g", ("class", "points"), ("data-class", g < 0 ? null : g));
            for (int i = 0; i < _x.Length; i++)
            {
                if ((_classes is null ? -1 : _classes[i]) != g || !double.IsFinite(_x[i]) || !double.IsFinite(_y[i])) continue;
                Markers.Draw(svg, GroupShape(g), frame.PX(_x[i]), frame.PY(_y[i]), Size, GroupColor(g, seriesColor));
            }
            svg.Close("g");
        }
        svg.Close("g");
    }

    internal IEnumerable<(double X, double Y)> Pixels(Frame frame)
    {
        for (int i = 0; i < _x.Length; i++)
            if (double.IsFinite(_x[i]) && double.IsFinite(_y[i])) yield return (frame.PX(_x[i]), frame.PY(_y[i]));
    }
}
