using System.Globalization;
using System.Text;
using MLNetNN.Data;
using MLNetNN.Networks;
using MLNetNN.Training;

namespace MLNetNN.ModelSelection;

/// <summary>
/// Exhaustive search over a <see cref="ParameterGrid"/>: every combination is cross-validated on the same folds, and every
/// combination's mean and spread are reported (scikit-learn's GridSearchCV with its cv_results_).
/// </summary>
public static class GridSearch
{
    /// <summary>Cross-validates every combination of <paramref name="grid"/> applied to <paramref name="baseOptions"/>.</summary>
    public static GridSearchResult Run(NeuralNetworkOptions baseOptions, ParameterGrid grid, Dataset data, int folds = 5, int seed = 0,
        IProgress<GridSearchEntry>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var entries = new List<GridSearchEntry>();
        foreach (var options in grid.Expand(baseOptions))
        {
            var cv = CrossValidation.Run(options, data, folds, seed, cancellationToken: cancellationToken);
            var entry = new GridSearchEntry(options, cv);
            entries.Add(entry);
            progress?.Report(entry);
        }
        if (entries.Count == 0) throw new ArgumentException("The grid has no combinations (an empty list).", nameof(grid));
        return new GridSearchResult(entries);
    }
}

/// <summary>One combination and its cross-validation result.</summary>
public sealed record GridSearchEntry(NeuralNetworkOptions Options, CrossValidationResult CrossValidation)
{
    /// <summary>
    /// The combination in words, e.g. "hidden 50, ReLU, lr 0.001, L2 0.0001, batch 200", or for a network declared by
    /// <see cref="NeuralNetworkOptions.Layers"/> its layers in the text form: "layers dense64:relu,dropout0.5, lr 0.001, L2 0, batch 200".
    /// </summary>
    public string Description
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            string network = Options.Layers is { } layers ? $"layers {LayerText.Format(layers)}"
                : string.Create(c, $"hidden {string.Join("-", Options.HiddenLayers)}, {Options.HiddenActivation}");
            return string.Create(c, $"{network}, lr {Options.LearningRate:G3}, L2 {Options.L2:G3}, batch {Options.BatchSize}");
        }
    }
}

/// <summary>Every combination's score, and the best.</summary>
public sealed class GridSearchResult
{
    internal GridSearchResult(IReadOnlyList<GridSearchEntry> entries)
    {
        Entries = entries;
        Best = entries.MaxBy(e => e.CrossValidation.Mean)!;
    }

    /// <summary>All combinations in grid order.</summary>
    public IReadOnlyList<GridSearchEntry> Entries { get; }

    /// <summary>The combination with the highest mean score (the first one on ties).</summary>
    public GridSearchEntry Best { get; }

    /// <summary>A table of every combination, best first.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string metric = Best.CrossValidation.MetricName;
        sb.AppendLine(string.Format(c, "{0,-4} {1,-60} {2,10} {3,8}", "rank", "combination", "mean " + metric, "std"));
        int rank = 1;
        foreach (var e in Entries.OrderByDescending(e => e.CrossValidation.Mean))
            sb.AppendLine(string.Format(c, "{0,-4} {1,-60} {2,10:F4} {3,8:F4}", rank++, e.Description, e.CrossValidation.Mean, e.CrossValidation.StandardDeviation));
        return sb.ToString();
    }
}
