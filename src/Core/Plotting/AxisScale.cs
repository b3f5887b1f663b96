using System.Globalization;

namespace MLNetNN.Plotting;

/// <summary>
/// One axis's data range and its ticks. Numeric ticks are multiples of a "nice" step (1, 2 or 5 × 10^k);
/// categorical axes put one labelled tick at the centre of each category, category i spanning [i, i+1].
/// </summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, double[] ticks, string[] labels, bool categorical, bool reversed)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
        Labels = labels;
        IsCategorical = categorical;
        IsReversed = reversed;
    }

    public double Min { get; }
    public double Max { get; }
    public double[] Ticks { get; }
    public string[] Labels { get; }
    public bool IsCategorical { get; }

    /// <summary>True when <see cref="Min"/> is drawn at the far end (a matrix's row 0 at the top).</summary>
    public bool IsReversed { get; }

    /// <summary>Position of <paramref name="v"/> along the axis, 0 at the start and 1 at the end.</summary>
    public double Unit(double v) => IsReversed ? (Max - v) / (Max - Min) : (v - Min) / (Max - Min);

    /// <summary>
    /// A range widened outwards to whole nice steps so that it contains [<paramref name="dataMin"/>, <paramref name="dataMax"/>]
    /// with about <paramref name="targetTicks"/> ticks. No finite data gives [0, 1]; a single value gets a margin around it.
    /// </summary>
    public static AxisScale Nice(double dataMin, double dataMax, int targetTicks)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax)) (dataMin, dataMax) = (0, 1);
        if (dataMin == dataMax)
        {
            double pad = dataMin == 0 ? 1 : Math.Abs(dataMin) * 0.1;
            (dataMin, dataMax) = (dataMin - pad, dataMax + pad);
        }
        var step = Step.Above((dataMax - dataMin) / Math.Max(1, targetTicks));
        long lo = (long)Math.Floor(dataMin / step.Value + 1e-9), hi = (long)Math.Ceiling(dataMax / step.Value - 1e-9);
        if (step.At(lo) > dataMin) lo--;
        if (step.At(hi) < dataMax) hi++;
        return Numeric(step.At(lo), step.At(hi), step, lo, hi);
    }

    /// <summary>Exactly <paramref name="range"/>, with nice ticks inside it (at least two when possible).</summary>
    public static AxisScale Fixed(AxisRange range, int targetTicks)
    {
        var step = Step.Above((range.Max - range.Min) / Math.Max(1, targetTicks));
        while (true)
        {
            long lo = (long)Math.Ceiling(range.Min / step.Value - 1e-9), hi = (long)Math.Floor(range.Max / step.Value + 1e-9);
            if (hi - lo >= 1 || step.Value < (range.Max - range.Min) * 1e-3)
                return Numeric(range.Min, range.Max, step, lo, hi);
            step = Step.Above(step.Value / 2.5);   // one notch finer: 1 → 0.5, 2 → 1, 5 → 2
        }
    }

    /// <summary>A categorical axis; with <paramref name="reversed"/> the first category is at the far end (top of a y axis).</summary>
    public static AxisScale Categories(IReadOnlyList<string> labels, bool reversed) =>
        new(0, labels.Count, Enumerable.Range(0, labels.Count).Select(i => i + 0.5).ToArray(), labels.ToArray(), true, reversed);

    private static AxisScale Numeric(double min, double max, Step step, long lo, long hi)
    {
        var ticks = new List<double>();
        for (long k = lo; k <= hi; k++)
        {
            double t = step.At(k);
            if (t >= min - 1e-9 * step.Value && t <= max + 1e-9 * step.Value) ticks.Add(t);
        }
        double largest = ticks.Count == 0 ? 0 : ticks.Max(Math.Abs);
        return new AxisScale(min, max, ticks.ToArray(), ticks.Select(t => step.Format(t, largest)).ToArray(), false, false);
    }

    /// <summary>A tick step m × 10^e with m in {1, 2, 5}; tick k is computed exactly as k·m·10^e, never by accumulation.</summary>
    internal readonly record struct Step(int Mantissa, int Exponent)
    {
        public double Value => At(1);

        /// <summary>k·m·10^e; dividing by a power of ten for negative e gives the correctly rounded decimal (0.6, not 0.6000000000000001).</summary>
        public double At(long k) => Exponent >= 0 ? k * Mantissa * Math.Pow(10, Exponent) : k * Mantissa / Math.Pow(10, -Exponent);

        /// <summary>The smallest nice step not below <paramref name="raw"/>.</summary>
        public static Step Above(double raw)
        {
            if (!(raw > 0) || !double.IsFinite(raw)) return new Step(1, 0);
            int e = (int)Math.Floor(Math.Log10(raw));
            double f = raw / Math.Pow(10, e);
            return f <= 1 + 1e-9 ? new Step(1, e) : f <= 2 + 1e-9 ? new Step(2, e) : f <= 5 + 1e-9 ? new Step(5, e) : new Step(1, e + 1);
        }

        /// <summary>Compact invariant label: as many decimals as the step needs; scientific for very large or small numbers.</summary>
        public string Format(double v, double largest)
        {
            if (v == 0) return "0";
            if (Exponent < -4 || largest >= 1e7)
            {
                // enough mantissa digits to tell neighbouring ticks apart, e.g. 1.0001E+7 beside 1.0002E+7
                int digits = Math.Max(0, (int)Math.Floor(Math.Log10(largest)) - Exponent);
                return v.ToString(digits == 0 ? "0E+0" : "0." + new string('#', digits) + "E+0", CultureInfo.InvariantCulture);
            }
            return v.ToString("F" + Math.Max(0, -Exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
    }
}
