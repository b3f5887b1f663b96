using System.Globalization;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Optimizers;
using MLNetNN.Plotting;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>
/// Example 2: one sigmoid neuron <c>P(setosa) = σ(θ₀ + θ₁·sepal length + θ₂·sepal width)</c> trained by full-batch gradient
/// descent with step 0.1 until <c>‖θ − θ_prev‖ &lt; 5·10⁻⁵</c> (the lecture's loop), and Rosenblatt's perceptron on the same
/// two features, each with its straight decision boundary over the data.
/// </summary>
public static class SingleNeuron
{
    /// <summary>The gradient-descent step size η.</summary>
    public const float StepSize = 0.1f;

    /// <summary>Training stops once one step moves the parameters less than this.</summary>
    public const double Tolerance = 5e-5;

    private static readonly AxisRange SepalLength = new(4, 8), SepalWidth = new(1.5, 4.5);

    /// <summary>Trains both models on raw (unscaled) sepal measurements, as the lecture does, and draws them.</summary>
    /// <param name="maxEpochs">A safety limit; the neuron converges long before it.</param>
    public static SingleNeuronResult Run(int maxEpochs = 1_000_000)
    {
        var data = LectureData.IrisSetosaVersusRest();
        var neuron = Trainers.BinaryClassification(new NeuralNetworkOptions
        {
            HiddenLayers = [], Optimizer = OptimizerKind.GradientDescent, LearningRate = StepSize,
            Convergence = ConvergenceCriterion.ParameterChange, Tolerance = Tolerance, Epochs = maxEpochs,
            Scaling = ScalingKind.None, Shuffle = false, Seed = 0, Threads = 1,
        }).Fit(data);
        var perceptron = Trainers.Perceptron(learningRate: StepSize, epochs: 1000, seed: 0).Fit(data);

        var neuronTheta = Theta(neuron.Model);
        var perceptronTheta = Theta(perceptron.Model);
        var figures = new List<LectureFigure>
        {
            new("neuron-boundary.svg", "the sigmoid neuron's P(setosa) and the perceptron's regions, each with its line, over the 150 flowers",
                Boundaries(data, neuron.Model, neuronTheta, perceptron.Model, perceptronTheta)),
            new("neuron-training.svg", "the neuron's cross-entropy per gradient step and the perceptron's mistakes per epoch",
                Training(neuron, perceptron)),
        };
        return new SingleNeuronResult(data.Rows, neuron, neuronTheta, neuron.Model.EvaluateClassification(data).Accuracy,
            perceptron, perceptronTheta, perceptron.Model.EvaluateClassification(data).Accuracy, figures);
    }

    /// <summary>θ = (bias, weight of sepal length, weight of sepal width) of a one-unit model.</summary>
    private static double[] Theta(NeuralNetworkModel model)
    {
        var w = model.Network.Weights(0);
        return [model.Network.Biases(0)[0], w[0], w[1]];
    }

    private static string Boundaries(Dataset data, NeuralNetworkModel neuron, double[] neuronTheta, NeuralNetworkModel perceptron, double[] perceptronTheta)
    {
        const int cells = 160;
        var grid = Drawing.GridPoints(SepalLength, SepalWidth, cells, cells);
        var figure = new Figure(columns: 2) { Title = "Setosa against the rest: one neuron, one straight line", PanelWidth = 560, PanelHeight = 440 };

        var probability = HeatMap.FromGrid(Drawing.ToGrid(Drawing.Predict(neuron, grid), 2, 1, cells, cells), SepalLength, SepalWidth);
        probability.Title = "Sigmoid neuron, gradient descent";
        probability.ColorMap = ColorMap.ClassProbability;
        probability.ValueRange = new AxisRange(0, 1);
        probability.ColorBarLabel = "P(setosa)";
        var perceptronRegions = HeatMap.FromGrid(Drawing.ToGrid(Drawing.Predict(perceptron, grid), 2, 1, cells, cells), SepalLength, SepalWidth);
        perceptronRegions.Title = "Perceptron (step activation)";
        perceptronRegions.ColorMap = ColorMap.Classes("other", "setosa");
        foreach (var (map, theta, line) in new[] { (probability, neuronTheta, "P = 0.5"), (perceptronRegions, perceptronTheta, "boundary") })
        {
            map.XLabel = "sepal length (cm)";
            map.YLabel = "sepal width (cm)";
            map.Legend = LegendPosition.BottomRight;
            if (Drawing.DecisionLine(line, theta[1], theta[2], theta[0], SepalLength, SepalWidth) is { } boundary) map.Lines.Add(boundary);
            map.Scatters.Add(Drawing.Points(data));
            figure.Panels.Add(map);
        }
        return figure.ToSvg();
    }

    private static string Training(TrainingResult neuron, TrainingResult perceptron)
    {
        var figure = new Figure(columns: 2) { PanelWidth = 480, PanelHeight = 360 };
        // Hundreds of thousands of steps: plot a few hundred of them, evenly spaced on a logarithmic step axis, so the fast
        // first fall and the long slow tail both show.
        var steps = LogSpacedSteps(neuron.History.Count, 400);
        var loss = new LineChart { Title = "Sigmoid neuron", XLabel = "log₁₀(gradient step)", YLabel = "cross-entropy", Legend = LegendPosition.None };
        loss.Lines.Add(new LineSeries("loss", steps.Select(t => Math.Log10(t)).ToArray(), steps.Select(t => neuron.History[t - 1].TrainLoss).ToArray()));
        var mistakes = new LineChart { Title = "Perceptron", XLabel = "epoch", YLabel = "share of examples misclassified", Legend = LegendPosition.None };
        mistakes.Lines.Add(new LineSeries("mistakes", Drawing.Epochs(perceptron.History), perceptron.History.Select(h => h.TrainLoss).ToArray()) { Color = Palette.Color(1), Width = 1.2 });
        figure.Panels.Add(loss);
        figure.Panels.Add(mistakes);
        return figure.ToSvg();
    }

    /// <summary>About <paramref name="count"/> distinct steps from 1 to <paramref name="last"/>, evenly spaced in log(step), both ends included.</summary>
    private static int[] LogSpacedSteps(int last, int count) =>
        Enumerable.Range(0, count).Select(i => (int)Math.Round(Math.Pow(last, i / (count - 1.0)))).Append(last).Distinct().ToArray();
}

/// <summary>The two single-unit models, their parameters and accuracies.</summary>
public sealed class SingleNeuronResult : ExampleResult
{
    internal SingleNeuronResult(int rows, TrainingResult neuron, double[] neuronTheta, double neuronAccuracy,
        TrainingResult perceptron, double[] perceptronTheta, double perceptronAccuracy, IReadOnlyList<LectureFigure> figures)
    {
        Rows = rows;
        Neuron = neuron;
        NeuronTheta = neuronTheta;
        NeuronAccuracy = neuronAccuracy;
        Perceptron = perceptron;
        PerceptronTheta = perceptronTheta;
        PerceptronAccuracy = perceptronAccuracy;
        Figures = figures;
    }

    /// <summary>Flowers trained on.</summary>
    public int Rows { get; }

    /// <summary>The sigmoid neuron's training run (its stop reason says whether it converged).</summary>
    public TrainingResult Neuron { get; }

    /// <summary>The neuron's θ = (bias, weight of sepal length, weight of sepal width).</summary>
    public IReadOnlyList<double> NeuronTheta { get; }

    /// <summary>The neuron's training accuracy.</summary>
    public double NeuronAccuracy { get; }

    /// <summary>The perceptron's training run.</summary>
    public TrainingResult Perceptron { get; }

    /// <summary>The perceptron's θ = (bias, weight of sepal length, weight of sepal width).</summary>
    public IReadOnlyList<double> PerceptronTheta { get; }

    /// <summary>The perceptron's training accuracy.</summary>
    public double PerceptronAccuracy { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<LectureFigure> Figures { get; }

    /// <inheritdoc/>
    public override void WriteReport(TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Format(c, "Iris, setosa against the rest, from sepal length and sepal width ({0} flowers, features unscaled).", Rows));
        writer.WriteLine(string.Format(c, "Sigmoid neuron, full-batch gradient descent, step {0}, stop when ‖θ − θ_prev‖ < {1:0e0}:", SingleNeuron.StepSize, SingleNeuron.Tolerance));
        writer.WriteLine($"  {Neuron.Message}");
        writer.WriteLine(string.Format(c, "  θ = ({0:F4}, {1:F4}, {2:F4})   final cross-entropy {3:F5}   accuracy {4:P1}   {5:F1} s",
            NeuronTheta[0], NeuronTheta[1], NeuronTheta[2], Neuron.History[^1].TrainLoss, NeuronAccuracy, Neuron.Elapsed.TotalSeconds));
        writer.WriteLine(string.Format(c, "  boundary: {0:F4} + {1:F4}·sepal length + {2:F4}·sepal width = 0", NeuronTheta[0], NeuronTheta[1], NeuronTheta[2]));
        writer.WriteLine("Perceptron (step activation, perceptron learning rule, examples in shuffled order):");
        writer.WriteLine($"  {Perceptron.Message}");
        writer.WriteLine(string.Format(c, "  θ = ({0:F4}, {1:F4}, {2:F4})   accuracy {3:P1}", PerceptronTheta[0], PerceptronTheta[1], PerceptronTheta[2], PerceptronAccuracy));
    }
}
