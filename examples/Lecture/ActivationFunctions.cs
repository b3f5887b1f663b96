using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Plotting;

namespace MLNetNN.Lecture;

/// <summary>Example 1: the activation functions and their derivatives over [-5, 5].</summary>
public static class ActivationFunctions
{
    /// <summary>The functions shown, in the lecture's order.</summary>
    public static IReadOnlyList<ActivationKind> Shown { get; } =
        [ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.ReLU, ActivationKind.LeakyReLU, ActivationKind.ELU, ActivationKind.Softplus, ActivationKind.Step];

    /// <summary>The z values of the printed table.</summary>
    public static IReadOnlyList<float> TablePoints { get; } = [-2f, -1f, 0f, 1f, 2f];

    /// <summary>Samples every function and its derivative on [-5, 5] and draws them.</summary>
    /// <param name="samples">Points per curve.</param>
    public static ActivationFunctionsResult Run(int samples = 201)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        var z = Enumerable.Range(0, samples).Select(i => -5.0 + 10.0 * i / (samples - 1)).ToArray();
        var figure = new Figure(columns: 4) { PanelWidth = 300, PanelHeight = 280, Title = "Activation functions f(z) (solid) and their derivatives f'(z) (dashed)" };
        var overview = new LineChart { Title = "Activation functions", XLabel = "z", YLabel = "f(z)", Width = 720, Height = 480,
            XRange = new AxisRange(-5, 5), YRange = new AxisRange(-1.5, 5), Legend = LegendPosition.TopLeft };
        var rows = new List<ActivationRow>();
        for (int k = 0; k < Shown.Count; k++)
        {
            var activation = Activation.Create(Shown[k]);
            string name = activation.ToString();
            var f = z.Select(v => (double)activation.Value((float)v)).ToArray();
            var derivative = z.Select(v => (double)activation.Derivative((float)v)).ToArray();
            var panel = new LineChart { Title = name, XLabel = "z", XRange = new AxisRange(-5, 5), YRange = PanelRange(Shown[k]), Legend = LegendPosition.TopLeft };
            panel.Lines.Add(new LineSeries("f(z)", z, f) { Color = Palette.Color(k) });
            panel.Lines.Add(new LineSeries("f'(z)", z, derivative) { Color = Palette.Color(k), Dashed = true });
            figure.Panels.Add(panel);
            overview.Lines.Add(new LineSeries(name, z, f) { Color = Palette.Color(k) });
            rows.Add(new ActivationRow(Shown[k], name,
                TablePoints.Select(activation.Value).ToArray(), TablePoints.Select(activation.Derivative).ToArray()));
        }
        return new ActivationFunctionsResult(rows,
        [
            new LectureFigure("activations.svg", "one panel per function: f(z) solid, f'(z) dashed, z in [-5, 5]", figure.ToSvg()),
            new LectureFigure("activations-overview.svg", "all functions on one axis", overview.ToSvg()),
        ]);
    }

    /// <summary>A y range that shows the function's shape: bounded functions get their bounds plus a margin.</summary>
    private static AxisRange PanelRange(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid or ActivationKind.Step => new AxisRange(-0.2, 1.2),
        ActivationKind.Tanh => new AxisRange(-1.2, 1.2),
        _ => new AxisRange(-1.5, 5),
    };
}

/// <summary>One function's values and derivatives at <see cref="ActivationFunctions.TablePoints"/>.</summary>
/// <param name="Kind">The function.</param>
/// <param name="Name">Its display name (with α where it has one).</param>
/// <param name="Values">f(z) at each table point.</param>
/// <param name="Derivatives">f'(z) at each table point.</param>
public sealed record ActivationRow(ActivationKind Kind, string Name, IReadOnlyList<float> Values, IReadOnlyList<float> Derivatives);

/// <summary>The activation table and its figures.</summary>
public sealed class ActivationFunctionsResult(IReadOnlyList<ActivationRow> rows, IReadOnlyList<LectureFigure> figures) : ExampleResult
{
    /// <summary>One row per function, in <see cref="ActivationFunctions.Shown"/> order.</summary>
    public IReadOnlyList<ActivationRow> Rows { get; } = rows;

    /// <inheritdoc/>
    public override IReadOnlyList<LectureFigure> Figures { get; } = figures;

    /// <inheritdoc/>
    public override void WriteReport(TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        string points = string.Concat(ActivationFunctions.TablePoints.Select(z => string.Format(c, "{0,9:G3}", z)));
        writer.WriteLine(string.Format(c, "{0,-16} {1,-45} | {2}", "", "f(z) at z =", "f'(z) at z ="));
        writer.WriteLine(string.Format(c, "{0,-16} {1,-45} | {2}", "function", points, points));
        foreach (var row in Rows)
            writer.WriteLine(string.Format(c, "{0,-16} {1,-45} | {2}", row.Name,
                string.Concat(row.Values.Select(v => string.Format(c, "{0,9:F4}", v))),
                string.Concat(row.Derivatives.Select(v => string.Format(c, "{0,9:F4}", v)))));
        writer.WriteLine("The step function's derivative is 0 wherever it exists, which is why gradient descent cannot train it.");
    }
}
