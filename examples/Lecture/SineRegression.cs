using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.Metrics;
using MLNetNN.Optimizers;
using MLNetNN.Plotting;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>
/// Example 4: regression of <c>sin(2πx)</c> from 100 noisy points with 32 sigmoid hidden units and a linear output unit,
/// trained on the mean squared error.
/// </summary>
public static class SineRegression
{
    /// <summary>Hidden units of the network.</summary>
    public const int HiddenUnits = 32;

    /// <summary>Generates the points, trains the network and draws the fitted curve over them.</summary>
    /// <param name="rows">Points of the training data.</param>
    /// <param name="noise">Standard deviation of the noise added to <c>sin(2πx)</c>.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="seed">Seed of the data and of the training run.</param>
    public static SineRegressionResult Run(int rows = 100, double noise = 0.1, int epochs = 3000, int seed = 5)
    {
        var data = LectureData.NoisySine(rows, noise, seed);
        var run = Trainers.Regression(new NeuralNetworkOptions
        {
            HiddenLayers = [HiddenUnits], HiddenActivation = ActivationKind.Sigmoid, Optimizer = OptimizerKind.Adam,
            LearningRate = 0.01f, BatchSize = 20, Epochs = epochs, Convergence = ConvergenceCriterion.None, Seed = seed, Threads = 1,
        }).Fit(data);

        const int curvePoints = 201;
        var x = Enumerable.Range(0, curvePoints).Select(i => (float)i / (curvePoints - 1)).ToArray();
        var fitted = Drawing.Predict(run.Model, x);
        var truth = x.Select(v => (float)Math.Sin(2 * Math.PI * v)).ToArray();

        var chart = new LineChart { Title = $"sin(2πx) learned by {HiddenUnits} sigmoid units", XLabel = "x", YLabel = "y", Width = 720, Height = 480,
            XRange = new AxisRange(0, 1), Legend = LegendPosition.TopRight };
        chart.Lines.Add(new LineSeries("network", x, fitted) { Color = Palette.Color(3), Width = 2.5 });
        chart.Lines.Add(new LineSeries("sin(2πx)", x, truth) { Color = "#555555", Dashed = true, Width = 1.5 });
        chart.Scatters.Add(new ScatterSeries("data", data.Features, data.Labels) { Color = Palette.Color(0), Size = 3.5 });
        var loss = new LineChart { Title = "Training loss", XLabel = "epoch", YLabel = "mean squared error", Legend = LegendPosition.None };
        loss.Lines.Add(new LineSeries("mse", Drawing.Epochs(run.History), run.History.Select(h => h.TrainLoss).ToArray()));

        return new SineRegressionResult(rows, noise, run, run.Model.EvaluateRegression(data), RegressionMetrics.Compute(truth, fitted),
        [
            new LectureFigure("sine-fit.svg", "the data, the fitted curve and sin(2πx)", chart.ToSvg()),
            new LectureFigure("sine-loss.svg", "mean squared error per epoch", loss.ToSvg()),
        ]);
    }
}

/// <summary>The fit's quality on the data and against the noise-free function.</summary>
public sealed class SineRegressionResult : ExampleResult
{
    internal SineRegressionResult(int rows, double noise, TrainingResult run, RegressionMetrics onData, RegressionMetrics againstTruth, IReadOnlyList<LectureFigure> figures)
    {
        Rows = rows;
        Noise = noise;
        Run = run;
        OnData = onData;
        AgainstTruth = againstTruth;
        Figures = figures;
    }

    /// <summary>Training points.</summary>
    public int Rows { get; }

    /// <summary>Standard deviation of the noise.</summary>
    public double Noise { get; }

    /// <summary>The training run.</summary>
    public TrainingResult Run { get; }

    /// <summary>MSE, RMSE and R² on the noisy training points.</summary>
    public RegressionMetrics OnData { get; }

    /// <summary>The same measures of the fitted curve against <c>sin(2πx)</c> on an even grid of [0, 1].</summary>
    public RegressionMetrics AgainstTruth { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<LectureFigure> Figures { get; }

    /// <inheritdoc/>
    public override void WriteReport(TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        var o = Run.Model.Options;
        writer.WriteLine(string.Format(c, "{0} points of sin(2πx) + noise (σ = {1:G3}); network 1-{2}-1, sigmoid hidden, linear output, MSE, Adam (lr {3:G3}), batch {4}, {5} epochs ({6:F1} s).",
            Rows, Noise, SineRegression.HiddenUnits, o.LearningRate, o.BatchSize, Run.EpochsCompleted, Run.Elapsed.TotalSeconds));
        writer.WriteLine(string.Format(c, "  on the data:        MSE {0:F4}  RMSE {1:F4}  R² {2:F4}   (the noise alone gives MSE ≈ {3:F4})", OnData.Mse, OnData.Rmse, OnData.R2, Noise * Noise));
        writer.WriteLine(string.Format(c, "  against sin(2πx):   MSE {0:F4}  RMSE {1:F4}  R² {2:F4}", AgainstTruth.Mse, AgainstTruth.Rmse, AgainstTruth.R2));
    }
}
