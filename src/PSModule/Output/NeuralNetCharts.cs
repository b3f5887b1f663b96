using MLNetNN.Data;
using MLNetNN.Plotting;

namespace MLNetNN.PowerShell.Output;

/// <summary>What <c>Export-NeuralNetChart</c> draws.</summary>
public enum NeuralNetChartKind
{
    /// <summary>Loss and metric per epoch, training and validation, side by side.</summary>
    TrainingCurves,
    /// <summary>For a model with two features: the predicted class (or value) over the input plane, with the given rows on top.</summary>
    DecisionRegions,
}

/// <summary>The pictures of a model, built from the engine's SVG charts.</summary>
public static class NeuralNetCharts
{
    /// <summary>Training curves: loss per epoch in one panel, accuracy (or R²) in the other; validation dashed.</summary>
    /// <exception cref="InvalidOperationException">The model has no history (it was never trained for an epoch).</exception>
    public static Figure TrainingCurves(NeuralNetModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var history = model.Model.History;
        if (history.Count == 0) throw new InvalidOperationException("The model has no training history to draw (no epoch completed).");
        string metric = model.Model.IsClassifier ? "accuracy" : "R²";

        var loss = new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss" };
        loss.Lines.Add(LineSeries.FromValues("training", history.Select(r => r.TrainLoss).ToArray()));
        var quality = new LineChart { Title = char.ToUpperInvariant(metric[0]) + metric[1..], XLabel = "epoch", YLabel = metric };
        quality.Lines.Add(LineSeries.FromValues("training", history.Select(r => r.TrainMetric).ToArray()));
        if (history.Any(r => r.ValidationLoss is not null))
        {
            // A missing validation value (NaN) leaves a gap rather than a false segment.
            var validationLoss = LineSeries.FromValues("validation", history.Select(r => r.ValidationLoss ?? double.NaN).ToArray());
            var validationMetric = LineSeries.FromValues("validation", history.Select(r => r.ValidationMetric ?? double.NaN).ToArray());
            validationLoss.Dashed = validationMetric.Dashed = true;
            loss.Lines.Add(validationLoss);
            quality.Lines.Add(validationMetric);
        }
        var figure = new Figure(2) { Title = $"Training of the {model.Task} {model.Architecture} network" };
        figure.Panels.Add(loss);
        figure.Panels.Add(quality);
        return figure;
    }

    /// <summary>
    /// Decision regions of a two-feature model over the box around <paramref name="points"/> (padded by 5 %): the predicted
    /// class (P(second class) for a binary model, so the boundary shows as the white band), or the predicted value for
    /// regression. The points are drawn on top, coloured by their true class.
    /// </summary>
    /// <param name="model">A model with exactly two features.</param>
    /// <param name="points">Rows with the model's two features (and labels, for the colours); they fix the plotted region.</param>
    /// <param name="resolution">Grid cells per axis.</param>
    /// <exception cref="InvalidOperationException">The model does not have two features.</exception>
    public static HeatMap DecisionRegions(NeuralNetModel model, Dataset points, int resolution = 200)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 2);
        var m = model.Model;
        if (m.FeatureCount != 2)
            throw new InvalidOperationException($"Decision regions need a model with two features; this one has {m.FeatureCount} ({string.Join(", ", m.FeatureNames)}).");
        if (points.Columns != 2)
            throw new ArgumentException($"The rows have {points.Columns} features; the model reads 2.", nameof(points));

        var xs = Enumerable.Range(0, points.Rows).Select(i => (double)points.Features[2 * i]).ToArray();
        var ys = Enumerable.Range(0, points.Rows).Select(i => (double)points.Features[2 * i + 1]).ToArray();
        AxisRange x = Padded(xs), y = Padded(ys);
        var outputs = new float[m.OutputCount];
        var input = new float[2];
        double Predict(double a, double b)
        {
            input[0] = (float)a;
            input[1] = (float)b;
            if (m.IsClassifier && m.OutputCount > 2) return m.PredictClass(input);
            m.Predict(input, outputs);
            return m.IsClassifier ? outputs[1] : outputs[0];
        }

        var map = HeatMap.FromFunction(Predict, x, y, resolution, resolution);
        map.Title = $"Decision regions ({model.Architecture})";
        map.XLabel = m.FeatureNames[0];
        map.YLabel = m.FeatureNames[1];
        if (m.IsClassifier && m.OutputCount == 2)
        {
            map.ColorMap = ColorMap.ClassProbability;
            map.ValueRange = new AxisRange(0, 1);
            map.ColorBarLabel = $"P({m.ClassNames![1]})";
        }
        else if (m.IsClassifier)
        {
            map.ColorMap = ColorMap.Classes(m.ClassNames!.ToArray());
        }
        else
        {
            map.ColorBarLabel = "predicted value";
        }
        var classes = points.ClassNames is null ? null : points.Labels.Select(l => (int)l).ToArray();
        map.Scatters.Add(new ScatterSeries("", xs, ys, classes) { ClassNames = points.ClassNames });
        return map;
    }

    private static AxisRange Padded(double[] values)
    {
        double min = values.Min(), max = values.Max();
        double pad = max > min ? 0.05 * (max - min) : 1;
        return new AxisRange(min - pad, max + pad);
    }
}
