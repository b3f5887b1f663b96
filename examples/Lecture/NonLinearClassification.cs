using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Optimizers;
using MLNetNN.Plotting;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>
/// Example 3: two-dimensional data no straight line separates (a disc inside the unit square), learned by a network with
/// 4 sigmoid hidden units and one sigmoid output, trained with Adam on mini-batches of 100. Each hidden unit is a logistic
/// classifier with its own line; the output unit combines the four half-planes into a rounded region around the disc.
/// </summary>
public static class NonLinearClassification
{
    /// <summary>Hidden units of the network.</summary>
    public const int HiddenUnits = 4;

    /// <summary>Rows per Adam step.</summary>
    public const int BatchSize = 100;

    private static readonly AxisRange Unit = new(0, 1);

    private static NeuralNetworkOptions Options(int epochs, int seed) => new()
    {
        Task = TaskKind.BinaryClassification, HiddenLayers = [HiddenUnits], HiddenActivation = ActivationKind.Sigmoid,
        Optimizer = OptimizerKind.Adam, LearningRate = 0.05f, BatchSize = BatchSize, Epochs = epochs,
        // A fixed number of epochs draws complete curves; scaling is off so each unit's line lives in the plotted coordinates.
        Convergence = ConvergenceCriterion.None, Scaling = ScalingKind.None, Seed = seed, Threads = 1,
        // The held-out quarter is only watched, never used to pick weights.
        RestoreBestWeights = false,
    };

    /// <summary>Generates the data, holds out a quarter, trains, and draws the curves, the regions and the hidden units.</summary>
    public static NonLinearClassificationResult Run(int rows = 1000, int epochs = 300, int seed = 1)
    {
        var all = LectureData.Disc(rows, seed);
        var (train, test) = DataSplit.TrainTestSplit(all, 0.25, seed, stratify: true);
        var run = Trainers.BinaryClassification(Options(epochs, seed)).Fit(train, test);
        var model = run.Model;
        var units = Enumerable.Range(0, HiddenUnits).Select(k => HiddenUnit.Of(model, k)).ToArray();
        var figures = new List<LectureFigure>
        {
            new("nonlinear-training.svg", "loss and accuracy per epoch on the training rows and the held-out quarter", Curves(run)),
            new("nonlinear-regions.svg", "P(inside) over [0,1]² with the training points and the four hidden units' lines", Regions(model, train, units)),
            new("nonlinear-hidden-units.svg", "one panel per hidden unit: its activation over [0,1]² and its line", HiddenUnitPanels(model, train, units)),
        };
        return new NonLinearClassificationResult(train.Rows, test.Rows, run, model.EvaluateClassification(train).Accuracy,
            model.EvaluateClassification(test).Accuracy, units, figures);
    }

    private static string Curves(TrainingResult run)
    {
        var figure = new Figure(columns: 2) { PanelWidth = 480, PanelHeight = 360 };
        var loss = new LineChart { Title = "Cross-entropy", XLabel = "epoch", YLabel = "loss" };
        loss.Lines.Add(new LineSeries("train", Drawing.Epochs(run.History), run.History.Select(h => h.TrainLoss).ToArray()));
        loss.Lines.Add(new LineSeries("held out", Drawing.Epochs(run.History), run.History.Select(h => h.ValidationLoss ?? double.NaN).ToArray()) { Dashed = true });
        var accuracy = new LineChart { Title = "Accuracy", XLabel = "epoch", YLabel = "accuracy", Legend = LegendPosition.BottomRight };
        accuracy.Lines.Add(new LineSeries("train", Drawing.Epochs(run.History), run.History.Select(h => h.TrainMetric).ToArray()));
        accuracy.Lines.Add(new LineSeries("held out", Drawing.Epochs(run.History), run.History.Select(h => h.ValidationMetric ?? double.NaN).ToArray()) { Dashed = true });
        figure.Panels.Add(loss);
        figure.Panels.Add(accuracy);
        return figure.ToSvg();
    }

    private static string Regions(NeuralNetworkModel model, Dataset train, HiddenUnit[] units)
    {
        const int cells = 200;
        var probability = Drawing.ToGrid(Drawing.Predict(model, Drawing.GridPoints(Unit, Unit, cells, cells)), 2, 1, cells, cells);
        var map = HeatMap.FromGrid(probability, Unit, Unit);
        map.Title = $"Decision regions of the {HiddenUnits}-unit network";
        map.XLabel = "x1";
        map.YLabel = "x2";
        map.ColorMap = ColorMap.ClassProbability;
        map.ValueRange = new AxisRange(0, 1);
        map.ColorBarLabel = "P(inside)";
        map.Legend = LegendPosition.Outside;
        map.Width = 760;
        map.Height = 560;
        foreach (var unit in units)
            if (unit.Line(Unit, Unit) is { } line)
            {
                line.Dashed = true;
                line.Width = 1.5;
                map.Lines.Add(line);
            }
        map.Scatters.Add(Drawing.Points(train, size: 3));
        return map.ToSvg();
    }

    private static string HiddenUnitPanels(NeuralNetworkModel model, Dataset train, HiddenUnit[] units)
    {
        const int cells = 100;
        var activations = model.LayerActivations(0, Drawing.GridPoints(Unit, Unit, cells, cells));
        var figure = new Figure(columns: 2) { Title = "Each hidden unit is a logistic classifier with its own line", PanelWidth = 420, PanelHeight = 360 };
        foreach (var unit in units)
        {
            var map = HeatMap.FromGrid(Drawing.ToGrid(activations, HiddenUnits, unit.Index, cells, cells), Unit, Unit);
            map.Title = string.Create(CultureInfo.InvariantCulture, $"hidden unit {unit.Index + 1} (output weight {unit.OutputWeight:+0.0;-0.0})");
            map.XLabel = "x1";
            map.YLabel = "x2";
            map.ValueRange = new AxisRange(0, 1);
            map.ColorBarLabel = "activation";
            map.Legend = LegendPosition.None;
            if (unit.Line(Unit, Unit) is { } line) map.Lines.Add(line);
            map.Scatters.Add(Drawing.Points(train, size: 1.6));
            figure.Panels.Add(map);
        }
        return figure.ToSvg();
    }
}

/// <summary>One hidden unit: <c>σ(w₁·x1 + w₂·x2 + b)</c>, entering the output with weight <see cref="OutputWeight"/>.</summary>
/// <param name="Index">The unit's position in the hidden layer (0-based).</param>
/// <param name="W1">Weight of x1.</param>
/// <param name="W2">Weight of x2.</param>
/// <param name="Bias">The bias b.</param>
/// <param name="OutputWeight">The output unit's weight on this unit's activation.</param>
public sealed record HiddenUnit(int Index, double W1, double W2, double Bias, double OutputWeight)
{
    /// <summary>Reads unit <paramref name="index"/> of the first hidden layer of a network with two inputs and one output.</summary>
    public static HiddenUnit Of(NeuralNetworkModel model, int index)
    {
        int units = model.Network.Layers[0].Units;
        var w = model.Network.Weights(0);   // inputs × units: row i holds the weights leaving input i
        return new HiddenUnit(index, w[index], w[units + index], model.Network.Biases(0)[index], model.Network.Weights(1)[index]);
    }

    /// <summary>
    /// Where the unit's activation is ½ (<c>w₁·x1 + w₂·x2 + b = 0</c>) across the region, or null if it has no line; coloured
    /// per unit from the palette after the two class colours, so a unit's line looks the same in every figure.
    /// </summary>
    public LineSeries? Line(AxisRange x, AxisRange y)
    {
        var line = Drawing.DecisionLine($"unit {Index + 1}", W1, W2, Bias, x, y);
        if (line is not null) line.Color = Palette.Color(2 + Index);
        return line;
    }
}

/// <summary>The network's accuracies, its hidden units and its figures.</summary>
public sealed class NonLinearClassificationResult : ExampleResult
{
    internal NonLinearClassificationResult(int trainRows, int testRows, TrainingResult run, double trainAccuracy, double testAccuracy,
        IReadOnlyList<HiddenUnit> units, IReadOnlyList<LectureFigure> figures)
    {
        TrainRows = trainRows;
        TestRows = testRows;
        Run = run;
        TrainAccuracy = trainAccuracy;
        TestAccuracy = testAccuracy;
        Units = units;
        Figures = figures;
    }

    /// <summary>Rows trained on.</summary>
    public int TrainRows { get; }

    /// <summary>Rows held out.</summary>
    public int TestRows { get; }

    /// <summary>The training run, with its per-epoch history.</summary>
    public TrainingResult Run { get; }

    /// <summary>Accuracy of the final network on the training rows.</summary>
    public double TrainAccuracy { get; }

    /// <summary>Accuracy of the final network on the held-out rows.</summary>
    public double TestAccuracy { get; }

    /// <summary>The hidden units' weights.</summary>
    public IReadOnlyList<HiddenUnit> Units { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<LectureFigure> Figures { get; }

    /// <inheritdoc/>
    public override void WriteReport(TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        var o = Run.Model.Options;
        writer.WriteLine(string.Format(c, "Disc in the unit square: {0} training rows, {1} held out. Network 2-{2}-1, sigmoid units, Adam (lr {3:G3}), batch {4}, {5} epochs.",
            TrainRows, TestRows, NonLinearClassification.HiddenUnits, o.LearningRate, o.BatchSize, Run.EpochsCompleted));
        writer.WriteLine(string.Format(c, "  final cross-entropy {0:F4} (held out {1:F4})   accuracy: train {2:P1}, held out {3:P1}   {4:F1} s",
            Run.History[^1].TrainLoss, Run.History[^1].ValidationLoss, TrainAccuracy, TestAccuracy, Run.Elapsed.TotalSeconds));
        writer.WriteLine("  hidden units, each σ(w1·x1 + w2·x2 + b):");
        foreach (var u in Units)
            writer.WriteLine(string.Format(c, "    unit {0}: w1 {1,8:F3}  w2 {2,8:F3}  b {3,8:F3}   output weight {4,8:F3}", u.Index + 1, u.W1, u.W2, u.Bias, u.OutputWeight));
    }
}
