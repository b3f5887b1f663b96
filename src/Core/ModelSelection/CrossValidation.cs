using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.ModelSelection;

/// <summary>
/// k-fold cross-validation: the data is split into k folds (stratified by class for classification, like scikit-learn's
/// StratifiedKFold), and a fresh model is trained on k − 1 folds and scored on the remaining one, k times. The scaler is fitted
/// inside each training fold, so no statistics leak from the held-out fold.
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs k-fold cross-validation of <paramref name="options"/> on <paramref name="data"/>.</summary>
    /// <param name="options">The training settings; their seed (or 0) also seeds the fold assignment.</param>
    /// <param name="data">All labelled rows.</param>
    /// <param name="folds">k, at least 2.</param>
    /// <param name="seed">Seed of the shuffled fold assignment.</param>
    /// <param name="stratify">Keep class proportions in every fold; defaults to true for classification.</param>
    /// <param name="cancellationToken">Stops between and inside folds.</param>
    public static CrossValidationResult Run(NeuralNetworkOptions options, Dataset data, int folds = 5, int seed = 0, bool? stratify = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        bool classify = options.Task != TaskKind.Regression;
        var splits = DataSplit.KFold(data, folds, seed, stratify ?? classify);
        var trainer = new NeuralNetworkTrainer(options);
        var results = new List<FoldResult>();
        for (int f = 0; f < splits.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (trainRows, testRows) = splits[f];
            var train = data.Subset(trainRows);
            var test = data.Subset(testRows);
            var run = trainer.Fit(train, null, null, cancellationToken);
            double score = classify ? run.Model.EvaluateClassification(test).Accuracy : run.Model.EvaluateRegression(test).R2;
            results.Add(new FoldResult(f + 1, trainRows.Length, testRows.Length, score, run.EpochsCompleted, run.StopReason));
        }
        return new CrossValidationResult(classify ? "accuracy" : "r2", results);
    }
}

/// <summary>One fold's outcome.</summary>
public sealed record FoldResult(int Fold, int TrainRows, int TestRows, double Score, int Epochs, StopReason StopReason);

/// <summary>The scores of every fold with their mean and spread.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(string metricName, IReadOnlyList<FoldResult> folds)
    {
        MetricName = metricName;
        Folds = folds;
        Mean = folds.Average(f => f.Score);
        // Population standard deviation across folds, as scikit-learn's cross_val_score(...).std() reports.
        StandardDeviation = Math.Sqrt(folds.Average(f => (f.Score - Mean) * (f.Score - Mean)));
    }

    /// <summary>"accuracy" for classification, "r2" for regression.</summary>
    public string MetricName { get; }

    /// <summary>Per-fold results.</summary>
    public IReadOnlyList<FoldResult> Folds { get; }

    /// <summary>Mean score over folds.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the fold scores.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{MetricName} {Mean:F4} ± {StandardDeviation:F4} over {Folds.Count} folds ({string.Join(", ", Folds.Select(f => f.Score.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))})");
}
