using MLNetNN.Lecture;
using MLNetNN.Training;

namespace MLNetNN.Examples.Tests;

/// <summary>One run shared by the tests: the neuron takes a few hundred thousand full-batch steps.</summary>
public sealed class SingleNeuronRun
{
    public SingleNeuronResult Result { get; } = SingleNeuron.Run();
}

public class SingleNeuronTests(SingleNeuronRun run) : IClassFixture<SingleNeuronRun>
{
    private readonly SingleNeuronResult _result = run.Result;

    [Fact]
    public void Gradient_descent_converges_by_the_parameter_change_test()
    {
        Assert.Equal(StopReason.Converged, _result.Neuron.StopReason);
        Assert.Contains("‖θ − θ_prev‖", _result.Neuron.Message);
        Assert.InRange(_result.Neuron.EpochsCompleted, 1_000, 999_999);
        // The cross-entropy only falls, as full-batch gradient descent with a small step should make it.
        var losses = _result.Neuron.History.Select(h => h.TrainLoss).ToArray();
        Assert.True(losses[^1] < 0.05, $"final loss {losses[^1]}");
        Assert.True(losses.Zip(losses.Skip(1)).Count(p => p.Second > p.First + 1e-6) < losses.Length / 1000, "the loss rose too often");
    }

    [Fact]
    public void Converged_theta_separates_setosa_with_a_line_of_the_expected_slope()
    {
        var theta = _result.NeuronTheta;
        // Setosa flowers are short and wide: P(setosa) falls with sepal length and rises with sepal width.
        Assert.True(theta[1] < 0 && theta[2] > 0, $"θ = ({theta[0]}, {theta[1]}, {theta[2]})");
        // On separable data the weights keep growing slowly; the stopping rule leaves them at a moderate size,
        // and the boundary's slope −θ₁/θ₂ is what is stable.
        Assert.InRange(Math.Sqrt(theta.Sum(t => t * t)), 5, 100);
        Assert.InRange(-theta[1] / theta[2], 0.6, 1.3);
        Assert.Equal(1.0, _result.NeuronAccuracy);
    }

    [Fact]
    public void Perceptron_converges_and_separates_the_training_data()
    {
        Assert.Equal(StopReason.Converged, _result.Perceptron.StopReason);
        Assert.Equal(1.0, _result.PerceptronAccuracy);
        Assert.Equal(0.0, _result.Perceptron.History[^1].TrainLoss);
        Assert.True(_result.PerceptronTheta[1] < 0 && _result.PerceptronTheta[2] > 0);
    }

    [Fact]
    public void Boundary_figure_shows_both_models_with_their_line_over_all_150_flowers()
    {
        var panels = SvgFigure.Parse(_result.Figure("neuron-boundary.svg")).Panels;
        Assert.Equal(2, panels.Count);
        Assert.Equal(["P = 0.5", ""], panels[0].SeriesNames);
        Assert.Equal(["boundary", ""], panels[1].SeriesNames);
        foreach (var panel in panels)
        {
            Assert.Equal(150, panel.PointCount(""));
            Assert.Equal((4.0, 8.0), panel.Axis('x'));
            Assert.Equal((1.5, 4.5), panel.Axis('y'));
        }
        Assert.Equal((0.0, 1.0), panels[0].ColorBar);
    }

    [Fact]
    public void Training_figure_shows_the_loss_and_the_perceptron_mistakes()
    {
        var panels = SvgFigure.Parse(_result.Figure("neuron-training.svg")).Panels;
        Assert.Equal(["loss"], panels[0].SeriesNames);
        Assert.InRange(panels[0].PointCount("loss"), 100, 400);   // thinned on a log scale, not hundreds of thousands
        Assert.True(panels[0].Axis('x').Max >= Math.Log10(_result.Neuron.EpochsCompleted));
        Assert.Equal(_result.Perceptron.EpochsCompleted, panels[1].PointCount("mistakes"));
    }
}
