using MLNetNN.Models;
using MLNetNN.Plotting;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>Geometry the figures share: straight decision lines and the sample grids behind heat maps.</summary>
internal static class Drawing
{
    /// <summary>
    /// The line <c>w1·x + w2·y + b = 0</c> across the region, or null when both weights are zero (no line exists). It is
    /// parametrised along the axis it is least steep against, so a vertical line is drawn as well as a horizontal one.
    /// </summary>
    public static LineSeries? DecisionLine(string name, double w1, double w2, double b, AxisRange x, AxisRange y)
    {
        if (w1 == 0 && w2 == 0) return null;
        if (Math.Abs(w2) >= Math.Abs(w1))
            return new LineSeries(name, [x.Min, x.Max], [-(w1 * x.Min + b) / w2, -(w1 * x.Max + b) / w2]);
        return new LineSeries(name, [-(w2 * y.Min + b) / w1, -(w2 * y.Max + b) / w1], [y.Min, y.Max]);
    }

    /// <summary>
    /// The centres of a <paramref name="columns"/> × <paramref name="rows"/> grid over the region as rows of (x, y), in the
    /// order <see cref="HeatMap.FromGrid"/> expects (row 0 at the bottom, columns left to right).
    /// </summary>
    public static float[] GridPoints(AxisRange x, AxisRange y, int columns, int rows)
    {
        var points = new float[rows * columns * 2];
        double dx = (x.Max - x.Min) / columns, dy = (y.Max - y.Min) / rows;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                int i = r * columns + c;
                points[2 * i] = (float)(x.Min + (c + 0.5) * dx);
                points[2 * i + 1] = (float)(y.Min + (r + 0.5) * dy);
            }
        return points;
    }

    /// <summary>
    /// Reshapes per-point outputs (<paramref name="stride"/> values per grid point, in <see cref="GridPoints"/> order) into
    /// the grid of the value at <paramref name="offset"/>.
    /// </summary>
    public static double[,] ToGrid(float[] outputs, int stride, int offset, int columns, int rows)
    {
        var grid = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                grid[r, c] = outputs[(r * columns + c) * stride + offset];
        return grid;
    }

    /// <summary>The epoch numbers of a training history, the x values of its curves.</summary>
    public static double[] Epochs(IReadOnlyList<EpochRecord> history) => history.Select(h => (double)h.Epoch).ToArray();

    /// <summary>The model's outputs for raw rows (row-major), rows × <see cref="NeuralNetworkModel.OutputCount"/>.</summary>
    public static float[] Predict(NeuralNetworkModel model, float[] rows)
    {
        var outputs = new float[rows.Length / model.FeatureCount * model.OutputCount];
        model.PredictBatch(rows, outputs);
        return outputs;
    }

    /// <summary>The points of a two-feature data set as a scatter series coloured by class.</summary>
    public static ScatterSeries Points(MLNetNN.Data.Dataset data, string name = "", double size = 4)
    {
        var x = new double[data.Rows];
        var y = new double[data.Rows];
        var classes = new int[data.Rows];
        for (int i = 0; i < data.Rows; i++)
        {
            x[i] = data.Row(i)[0];
            y[i] = data.Row(i)[1];
            classes[i] = (int)data.Labels[i];
        }
        return new ScatterSeries(name, x, y, classes) { ClassNames = data.ClassNames, Size = size };
    }
}
