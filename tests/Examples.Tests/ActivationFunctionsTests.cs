using MLNetNN.Activations;
using MLNetNN.Lecture;

namespace MLNetNN.Examples.Tests;

public class ActivationFunctionsTests
{
    private static readonly ActivationFunctionsResult Result = ActivationFunctions.Run();

    [Fact]
    public void Every_function_gets_a_panel_with_itself_and_its_derivative_over_minus_five_to_five()
    {
        var panels = SvgFigure.Parse(Result.Figure("activations.svg")).Panels;
        Assert.Equal(ActivationFunctions.Shown.Count, panels.Count);
        foreach (var panel in panels)
        {
            Assert.Equal(["f(z)", "f'(z)"], panel.SeriesNames);
            Assert.Equal((-5.0, 5.0), panel.Axis('x'));
            Assert.Equal(201, panel.PointCount("f(z)"));
        }
        Assert.Equal(ActivationFunctions.Shown.Select(k => Activation.Create(k).ToString()), panels.Select(p => p.Texts("title").Single()));
    }

    [Fact]
    public void Overview_draws_all_seven_functions_on_one_axis()
    {
        var overview = SvgFigure.Parse(Result.Figure("activations-overview.svg"));
        Assert.Equal(7, overview.SeriesNames.Length);
        Assert.Equal((-5.0, 5.0), overview.Axis('x'));
    }

    [Fact]
    public void Printed_table_has_the_textbook_values()
    {
        var sigmoid = Result.Rows.Single(r => r.Kind == ActivationKind.Sigmoid);
        Assert.Equal(0.5f, sigmoid.Values[2], 1e-6f);
        Assert.Equal(0.25f, sigmoid.Derivatives[2], 1e-6f);
        var tanh = Result.Rows.Single(r => r.Kind == ActivationKind.Tanh);
        Assert.Equal(1f, tanh.Derivatives[2], 1e-6f);
        Assert.All(Result.Rows.Single(r => r.Kind == ActivationKind.Step).Derivatives, d => Assert.Equal(0f, d));
        var relu = Result.Rows.Single(r => r.Kind == ActivationKind.ReLU);
        Assert.Equal([0f, 0f, 0f, 1f, 2f], relu.Values);

        var report = new StringWriter();
        Result.WriteReport(report);
        Assert.All(Result.Rows, r => Assert.Contains(r.Name, report.ToString()));
    }
}
