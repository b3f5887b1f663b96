namespace MLNetNN.Plotting;

/// <summary>The symbol drawn at a data point.</summary>
public enum MarkerShape
{
    /// <summary>A filled circle.</summary>
    Circle,
    /// <summary>A filled square.</summary>
    Square,
    /// <summary>A filled upward triangle.</summary>
    Triangle,
    /// <summary>A filled diamond.</summary>
    Diamond,
    /// <summary>An unfilled diagonal cross (×).</summary>
    Cross,
}
