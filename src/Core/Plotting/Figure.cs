namespace MLNetNN.Plotting;

/// <summary>
/// Several charts laid out row by row in a grid of equal panels in one SVG, e.g. one small heat map per hidden unit.
/// Each panel is drawn at <see cref="PanelWidth"/> × <see cref="PanelHeight"/>, whatever its own size.
/// </summary>
public sealed class Figure
{
    private int _panelWidth = 260, _panelHeight = 220;

    /// <summary>Creates an empty figure with <paramref name="columns"/> panels per row.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is below 1.</exception>
    public Figure(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Columns = columns;
    }

    /// <summary>Panels per row.</summary>
    public int Columns { get; }

    /// <summary>Title over the whole figure; null or empty for none.</summary>
    public string? Title { get; set; }

    /// <summary>Width of each panel in pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 100.</exception>
    public int PanelWidth
    {
        get => _panelWidth;
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, 100); _panelWidth = value; }
    }

    /// <summary>Height of each panel in pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 100.</exception>
    public int PanelHeight
    {
        get => _panelHeight;
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, 100); _panelHeight = value; }
    }

    /// <summary>The charts, placed left to right, then top to bottom.</summary>
    public IList<Chart> Panels { get; } = new List<Chart>();

    private double TitleHeight => string.IsNullOrEmpty(Title) ? 0 : 34;

    /// <summary>The figure as an SVG document.</summary>
    /// <exception cref="InvalidOperationException">The figure has no panels, or a panel cannot be drawn.</exception>
    public string ToSvg()
    {
        if (Panels.Count == 0) throw new InvalidOperationException("The figure has no panels; add charts to Panels first.");
        if (Panels.Any(p => p is null)) throw new InvalidOperationException("The figure holds a null panel.");
        int rows = (Panels.Count + Columns - 1) / Columns;
        int columns = Math.Min(Columns, Panels.Count);
        double width = columns * PanelWidth, height = TitleHeight + rows * PanelHeight;
        return Svg.Document(width, height, svg =>
        {
            if (!string.IsNullOrEmpty(Title))
                svg.Text(Title, ("class", "title"), ("x", width / 2), ("y", 24.0), ("font-size", 17.0), ("font-weight", "bold"), ("text-anchor", "middle"));
            for (int i = 0; i < Panels.Count; i++)
            {
                svg.Open("g", ("class", "panel"), ("data-index", i));
                Panels[i].Render(svg, new Box(i % Columns * PanelWidth, TitleHeight + i / Columns * PanelHeight, PanelWidth, PanelHeight), $"p{i}");
                svg.Close("g");
            }
        });
    }

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> atomically, like <see cref="Chart.Save"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    public void Save(string path)
    {
        string svg = ToSvg();
        Svg.SaveAtomic(path, svg);
    }
}
