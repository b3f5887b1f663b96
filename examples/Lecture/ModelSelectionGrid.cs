using System.Globalization;
using MLNetNN.Activations;
using MLNetNN.ModelSelection;
using MLNetNN.Optimizers;
using MLNetNN.Plotting;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>
/// Example 6: model selection. Every combination of hidden units, L2 strength and learning rate is scored by 5-fold
/// cross-validation on the disc data of example 3; the mean accuracies are printed as a table and drawn as one heat map
/// (hidden units × L2) per learning rate.
/// </summary>
public static class ModelSelectionGrid
{
    /// <summary>Hidden-unit counts tried.</summary>
    public static IReadOnlyList<int> HiddenUnits { get; } = [1, 2, 4, 8, 16];

    /// <summary>L2 strengths λ tried (the loss gains <c>(λ/2)‖W‖²</c>).</summary>
    public static IReadOnlyList<float> L2 { get; } = [0f, 1e-4f, 1e-3f, 1e-2f];

    /// <summary>Adam learning rates tried.</summary>
    public static IReadOnlyList<float> LearningRates { get; } = [1e-3f, 1e-2f, 1e-1f];

    /// <summary>Number of combinations on the grid.</summary>
    public static int Combinations => HiddenUnits.Count * L2.Count * LearningRates.Count;

    /// <summary>Rows per Adam step.</summary>
    public const int BatchSize = 50;

    /// <summary>Runs the grid search and draws it.</summary>
    /// <param name="rows">Rows of disc data.</param>
    /// <param name="epochs">Epochs of every fit (fixed, so the learning rates are compared on equal budgets).</param>
    /// <param name="folds">k of the k-fold cross-validation.</param>
    /// <param name="seed">Seed of the data, the folds and the fits.</param>
    /// <param name="progress">Receives each combination's result as it is scored.</param>
    public static ModelSelectionGridResult Run(int rows = 500, int epochs = 150, int folds = 5, int seed = 1, IProgress<GridSearchEntry>? progress = null)
    {
        var data = LectureData.Disc(rows, seed);
        var baseOptions = new NeuralNetworkOptions
        {
            Task = TaskKind.BinaryClassification, HiddenActivation = ActivationKind.Sigmoid, Optimizer = OptimizerKind.Adam,
            BatchSize = BatchSize, Epochs = epochs, Convergence = ConvergenceCriterion.None, Seed = seed, Threads = 1,
        };
        var grid = new ParameterGrid
        {
            HiddenLayers = HiddenUnits.Select(u => (IReadOnlyList<int>)[u]).ToArray(),
            L2 = L2,
            LearningRates = LearningRates,
        };
        var search = GridSearch.Run(baseOptions, grid, data, folds, seed, progress);
        return new ModelSelectionGridResult(rows, folds, epochs, search, [new LectureFigure("gridsearch.svg",
            "mean cross-validated accuracy: one heat map per learning rate, hidden units down, L2 across", HeatMaps(search))]);
    }

    /// <summary>The search's entry for (hidden units, L2, learning rate).</summary>
    internal static GridSearchEntry Entry(GridSearchResult search, int hidden, float l2, float learningRate) =>
        search.Entries.Single(e => e.Options.HiddenLayers[0] == hidden && e.Options.L2 == l2 && e.Options.LearningRate == learningRate);

    private static string HeatMaps(GridSearchResult search)
    {
        var c = CultureInfo.InvariantCulture;
        double low = search.Entries.Min(e => e.CrossValidation.Mean), high = search.Entries.Max(e => e.CrossValidation.Mean);
        var figure = new Figure(columns: LearningRates.Count) { Title = "5-fold cross-validated accuracy", PanelWidth = 400, PanelHeight = 360 };
        foreach (float rate in LearningRates)
        {
            var values = new double[HiddenUnits.Count, L2.Count];
            for (int h = 0; h < HiddenUnits.Count; h++)
                for (int l = 0; l < L2.Count; l++)
                    values[h, l] = Entry(search, HiddenUnits[h], L2[l], rate).CrossValidation.Mean;
            var map = HeatMap.FromMatrix(values, HiddenUnits.Select(u => u.ToString(c)).ToArray(), L2.Select(l => l.ToString("G3", c)).ToArray());
            map.Title = string.Create(c, $"learning rate {rate:G3}");
            map.XLabel = "L2 strength λ";
            map.YLabel = "hidden units";
            map.ShowValues = true;
            map.ValueFormat = "0.000";
            // One colour scale for all panels, so equal colours mean equal accuracy across learning rates.
            map.ValueRange = new AxisRange(low, Math.Max(high, low + 1e-3));
            map.ColorBarLabel = "mean accuracy";
            figure.Panels.Add(map);
        }
        return figure.ToSvg();
    }
}

/// <summary>The grid search's table and heat maps.</summary>
public sealed class ModelSelectionGridResult : ExampleResult
{
    internal ModelSelectionGridResult(int rows, int folds, int epochs, GridSearchResult search, IReadOnlyList<LectureFigure> figures)
    {
        Rows = rows;
        Folds = folds;
        Epochs = epochs;
        Search = search;
        Figures = figures;
    }

    /// <summary>Rows of data cross-validated.</summary>
    public int Rows { get; }

    /// <summary>k of the k-fold cross-validation.</summary>
    public int Folds { get; }

    /// <summary>Epochs of every fit.</summary>
    public int Epochs { get; }

    /// <summary>Every combination with its fold scores, and the best.</summary>
    public GridSearchResult Search { get; }

    /// <summary>The mean cross-validated accuracy of one combination.</summary>
    /// <exception cref="InvalidOperationException">The combination is not on the grid.</exception>
    public double Score(int hiddenUnits, float l2, float learningRate) => ModelSelectionGrid.Entry(Search, hiddenUnits, l2, learningRate).CrossValidation.Mean;

    /// <inheritdoc/>
    public override IReadOnlyList<LectureFigure> Figures { get; }

    /// <inheritdoc/>
    public override void WriteReport(TextWriter writer)
    {
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Format(c, "Disc data, {0} rows; {1}-fold cross-validation of {2} combinations (sigmoid units, standardised inputs, Adam, batch {4}, {3} epochs each).",
            Rows, Folds, Search.Entries.Count, Epochs, ModelSelectionGrid.BatchSize));
        writer.WriteLine("Mean accuracy (± standard deviation over the folds):");
        writer.WriteLine(string.Format(c, "{0,-8} {1,-8}", "lr", "hidden") + string.Concat(ModelSelectionGrid.L2.Select(l => string.Format(c, "{0,16}", $"L2 {l:G3}"))));
        foreach (float rate in ModelSelectionGrid.LearningRates)
            foreach (int hidden in ModelSelectionGrid.HiddenUnits)
            {
                var cells = ModelSelectionGrid.L2.Select(l2 => ModelSelectionGrid.Entry(Search, hidden, l2, rate).CrossValidation);
                writer.WriteLine(string.Format(c, "{0,-8:G3} {1,-8}", rate, hidden) +
                    string.Concat(cells.Select(cv => string.Format(c, "{0,16}", $"{cv.Mean:F3} ± {cv.StandardDeviation:F3}"))));
            }
        writer.WriteLine(string.Format(c, "Best: {0}: {1}", Search.Best.Description, Search.Best.CrossValidation));
    }
}
