namespace MLNetNN.Plotting;

/// <summary>Where a chart draws its legend.</summary>
public enum LegendPosition
{
    /// <summary>Inside the plot, in the corner that covers the fewest data points.</summary>
    Auto,
    /// <summary>Inside the plot, top right.</summary>
    TopRight,
    /// <summary>Inside the plot, top left.</summary>
    TopLeft,
    /// <summary>Inside the plot, bottom right.</summary>
    BottomRight,
    /// <summary>Inside the plot, bottom left.</summary>
    BottomLeft,
    /// <summary>To the right of the plot (and of a heat map's colour bar), never covering data.</summary>
    Outside,
    /// <summary>No legend.</summary>
    None,
}
