namespace MLNetNN.Plotting;

/// <summary>Draws one marker symbol centred on a point.</summary>
internal static class Markers
{
    public static void Draw(Svg svg, MarkerShape shape, double x, double y, double radius, string color)
    {
        double r = radius;
        switch (shape)
        {
            case MarkerShape.Circle:
                svg.Empty("circle", ("cx", x), ("cy", y), ("r", r), ("fill", color));
                break;
            case MarkerShape.Square:
                r *= 0.9;   // a square of the circle's width looks larger; this evens out their visual weight
                svg.Empty("rect", ("x", x - r), ("y", y - r), ("width", 2 * r), ("height", 2 * r), ("fill", color));
                break;
            case MarkerShape.Triangle:
                r *= 1.25;
                svg.Empty("path", ("d", $"M{Svg.Num(x)} {Svg.Num(y - r)}L{Svg.Num(x + 0.87 * r)} {Svg.Num(y + 0.5 * r)}L{Svg.Num(x - 0.87 * r)} {Svg.Num(y + 0.5 * r)}Z"), ("fill", color));
                break;
            case MarkerShape.Diamond:
                r *= 1.2;
                svg.Empty("path", ("d", $"M{Svg.Num(x)} {Svg.Num(y - r)}L{Svg.Num(x + r)} {Svg.Num(y)}L{Svg.Num(x)} {Svg.Num(y + r)}L{Svg.Num(x - r)} {Svg.Num(y)}Z"), ("fill", color));
                break;
            case MarkerShape.Cross:
                svg.Empty("path", ("d", $"M{Svg.Num(x - r)} {Svg.Num(y - r)}L{Svg.Num(x + r)} {Svg.Num(y + r)}M{Svg.Num(x - r)} {Svg.Num(y + r)}L{Svg.Num(x + r)} {Svg.Num(y - r)}"),
                    ("fill", "none"), ("stroke", color), ("stroke-width", 2.0));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown marker shape.");
        }
    }
}
