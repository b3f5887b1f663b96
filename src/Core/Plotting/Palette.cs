namespace MLNetNN.Plotting;

/// <summary>
/// The categorical colours given to series and classes in order: matplotlib's "tab10", so figures look
/// like the lecture's, and class k has the same colour in a scatter, a legend and a class-region map.
/// </summary>
public static class Palette
{
    private static readonly string[] Tab10 =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>The ten colours, as <c>#rrggbb</c>.</summary>
    public static IReadOnlyList<string> Categorical => Tab10;

    /// <summary>The colour of series or class <paramref name="index"/>; the palette repeats after ten.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static string Color(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Tab10[index % Tab10.Length];
    }
}
