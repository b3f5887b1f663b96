using System.Globalization;

namespace MLNetNN.Plotting;

/// <summary>
/// Turns a heat-map value into a colour. A continuous map interpolates linearly between colour stops over
/// the value range; a categorical map (<see cref="Classes(int)"/>) gives class index k the k-th colour.
/// </summary>
public sealed class ColorMap
{
    private readonly int[] _stops;   // 0xRRGGBB, evenly spaced over [0, 1]
    private readonly string[] _classNames;

    private ColorMap(string name, int[] stops, string[]? classNames)
    {
        Name = name;
        _stops = stops;
        _classNames = classNames ?? [];
    }

    /// <summary>A short name, written into the SVG so a reader knows which map was used.</summary>
    public string Name { get; }

    /// <summary>True for a class-index map: each value is rounded to an index and shown as a discrete colour.</summary>
    public bool IsCategorical => _classNames.Length > 0;

    /// <summary>For a categorical map, the label of each class index (shown on the colour bar); otherwise empty.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Sequential dark-blue → green → yellow (matplotlib's viridis); readable in grey and by colour-blind readers.</summary>
    public static ColorMap Viridis { get; } = new("viridis",
        Parse(["#440154", "#472d7b", "#3b528b", "#2c728e", "#21908c", "#27ad81", "#5dc863", "#aadc32", "#fde725"]), null);

    /// <summary>Sequential white → dark blue (ColorBrewer Blues): light cells keep black cell numbers readable, as in a confusion matrix.</summary>
    public static ColorMap Blues { get; } = new("blues",
        Parse(["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]), null);

    /// <summary>Diverging blue → white → red (ColorBrewer RdBu reversed), for signed values such as a tanh unit's response.</summary>
    public static ColorMap Diverging { get; } = new("diverging",
        Parse(["#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b"]), null);

    /// <summary>
    /// For P(class 1) of a two-class model over [0, 1]: a tint of class 0's palette colour → white at 0.5 → a tint of
    /// class 1's, so the decision boundary shows as the white band and regions match the scattered points' colours.
    /// </summary>
    public static ColorMap ClassProbability { get; } = new("class-probability",
        [Tint(Palette.Color(0), 0.25), 0xffffff, Tint(Palette.Color(1), 0.25)], null);

    /// <summary>A categorical map for class indices 0..<paramref name="count"/>-1, labelled "0", "1", ….</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static ColorMap Classes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Classes(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// A categorical map with one class per name. Regions get light tints of the <see cref="Palette"/> colours so that
    /// points drawn on top in the full colours stand out.
    /// </summary>
    /// <exception cref="ArgumentException">No names, or a null name.</exception>
    public static ColorMap Classes(params string[] classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Length == 0) throw new ArgumentException("A class map needs at least one class name.", nameof(classNames));
        if (classNames.Any(n => n is null)) throw new ArgumentException("Class names must not be null.", nameof(classNames));
        var stops = Enumerable.Range(0, classNames.Length).Select(i => Tint(Palette.Color(i), 0.55)).ToArray();
        return new ColorMap("classes", stops, (string[])classNames.Clone());
    }

    /// <summary>A continuous map through the given colours (<c>#rrggbb</c>), evenly spaced from low to high.</summary>
    /// <exception cref="ArgumentException">Fewer than two colours, or one that is not <c>#rrggbb</c>.</exception>
    public static ColorMap FromColors(params string[] colors)
    {
        ArgumentNullException.ThrowIfNull(colors);
        if (colors.Length < 2) throw new ArgumentException("A colour map needs at least two colours.", nameof(colors));
        return new ColorMap("custom", Parse(colors), null);
    }

    /// <summary>
    /// The colour as <c>#rrggbb</c>: for a continuous map, of the position <paramref name="t"/> in [0, 1] along the map
    /// (clamped); for a categorical map, of class index <paramref name="t"/> (rounded, clamped to the classes).
    /// </summary>
    public string ColorAt(double t) => Svg.Color(Rgb(t));

    /// <summary>Like <see cref="ColorAt"/> as 0xRRGGBB; NaN gives the lowest colour.</summary>
    internal int Rgb(double t)
    {
        if (IsCategorical)
        {
            double index = double.IsNaN(t) ? 0 : Math.Clamp(Math.Round(t), 0, _stops.Length - 1);
            return _stops[(int)index];
        }
        double u = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1) * (_stops.Length - 1);
        int i = Math.Min((int)u, _stops.Length - 2);
        double f = u - i;
        int a = _stops[i], b = _stops[i + 1];
        return (Lerp(a >> 16, b >> 16, f) << 16) | (Lerp((a >> 8) & 0xff, (b >> 8) & 0xff, f) << 8) | Lerp(a & 0xff, b & 0xff, f);
    }

    private static int Lerp(int a, int b, double f) => (int)Math.Round(a + (b - a) * f);

    private static int Tint(string color, double whiteness)
    {
        int c = ParseOne(color);
        int Mix(int v) => (int)Math.Round(v + (255 - v) * whiteness);
        return (Mix(c >> 16) << 16) | (Mix((c >> 8) & 0xff) << 8) | Mix(c & 0xff);
    }

    private static int[] Parse(string[] colors) => colors.Select(ParseOne).ToArray();

    private static int ParseOne(string color)
    {
        if (color is { Length: 7 } && color[0] == '#' &&
            int.TryParse(color.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int rgb))
            return rgb;
        throw new ArgumentException($"Colour '{color}' is not of the form #rrggbb.", nameof(color));
    }
}
