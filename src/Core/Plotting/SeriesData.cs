namespace MLNetNN.Plotting;

/// <summary>Argument checks and copies shared by the series types.</summary>
internal static class SeriesData
{
    public static (double[] X, double[] Y) Copy(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"Series '{name}': x has {x.Count} values but y has {y.Count}; they must match.", nameof(y));
        if (x.Count == 0)
            throw new ArgumentException($"Series '{name}' is empty; give at least one point.", nameof(x));
        return (x.ToArray(), y.ToArray());
    }

    public static double[] Widen(IReadOnlyList<float> values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        return values.Select(v => (double)v).ToArray();
    }

    /// <summary>The finite extent of some values, or (NaN, NaN) when none is finite.</summary>
    public static (double Min, double Max) Extent(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return min <= max ? (min, max) : (double.NaN, double.NaN);
    }
}
