namespace MLNetNN.Plotting;

/// <summary>
/// A chart that renders to a standalone SVG document. Rendering is deterministic: the same chart gives
/// byte-identical output, with numbers in the invariant culture.
/// </summary>
public abstract class Chart
{
    private int _width = 640, _height = 420;

    /// <summary>Title drawn above the plot; null or empty for none.</summary>
    public string? Title { get; set; }

    /// <summary>Width in pixels when rendered alone (a <see cref="Figure"/> uses its panel size instead).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 100.</exception>
    public int Width
    {
        get => _width;
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, 100); _width = value; }
    }

    /// <summary>Height in pixels when rendered alone (a <see cref="Figure"/> uses its panel size instead).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 100.</exception>
    public int Height
    {
        get => _height;
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, 100); _height = value; }
    }

    /// <summary>The chart as an SVG document.</summary>
    /// <exception cref="InvalidOperationException">The chart has nothing to draw or an inconsistent setting.</exception>
    public string ToSvg() => Svg.Document(Width, Height, svg => Render(svg, new Box(0, 0, Width, Height), "c"));

    /// <summary>
    /// Writes <see cref="ToSvg"/> to <paramref name="path"/> (UTF-8) atomically: through a temporary file in the same
    /// directory that replaces the target only when complete. The directory must exist.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The target directory does not exist.</exception>
    public void Save(string path)
    {
        string svg = ToSvg();   // render first, so a rendering error touches no file
        Svg.SaveAtomic(path, svg);
    }

    /// <summary>Draws the chart into <paramref name="bounds"/>; <paramref name="id"/> prefixes element ids so panels of a figure stay unique.</summary>
    internal abstract void Render(Svg svg, Box bounds, string id);
}
