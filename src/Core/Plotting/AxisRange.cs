using System.Globalization;

namespace MLNetNN.Plotting;

/// <summary>
/// A closed interval [<see cref="Min"/>, <see cref="Max"/>] of data values, used for an axis or a colour scale.
/// A class rather than a struct so that no unvalidated <c>default</c> value (an empty [0, 0] range) can exist.
/// </summary>
public sealed record AxisRange
{
    /// <summary>Creates a range; both ends must be finite and <paramref name="min"/> &lt; <paramref name="max"/>.</summary>
    /// <exception cref="ArgumentException">An end is NaN or infinite, or <paramref name="min"/> ≥ <paramref name="max"/>.</exception>
    public AxisRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"An axis range must be finite; got [{min}, {max}]."));
        if (!(min < max))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"An axis range needs Min < Max; got [{min}, {max}]."));
        Min = min;
        Max = max;
    }

    /// <summary>The lower end.</summary>
    public double Min { get; }

    /// <summary>The upper end.</summary>
    public double Max { get; }
}
