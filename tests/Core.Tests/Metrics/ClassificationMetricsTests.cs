using MLNetNN.Metrics;
using Xunit;

namespace MLNetNN.Tests.Metrics;

/// <summary>Reference values come from scikit-learn 1.2 (accuracy_score, log_loss with eps=1e-15, precision_recall_fscore_support with zero_division=0, confusion_matrix, roc_auc_score).</summary>
public class ClassificationMetricsTests
{
    private const int Precision = 12;

    private static readonly int[] TruthA = [0, 1, 2, 2, 1, 0, 2, 1];

    private static readonly float[] ProbabilitiesA =
    [
        .7f, .2f, .1f,
        .1f, .6f, .3f,
        .2f, .2f, .6f,
        .3f, .4f, .3f,
        .5f, .4f, .1f,
        .9f, .05f, .05f,
        .1f, .1f, .8f,
        .2f, .3f, .5f,
    ];

    [Fact]
    public void Three_class_metrics_match_scikit_learn()
    {
        var m = ClassificationMetrics.Compute(TruthA, ProbabilitiesA, 3, ["a", "b", "c"]);

        Assert.Equal(8, m.Rows);
        Assert.Equal(0.625, m.Accuracy, Precision);
        Assert.Equal(0.6288833197562146, m.LogLoss, 6);
        Assert.Equal(new double[,] { { 2, 0, 0 }, { 1, 1, 1 }, { 0, 1, 2 } }, m.ConfusionMatrix.Counts);
        Assert.Equal([2.0 / 3, 0.5, 2.0 / 3], m.PerClass.Select(c => c.Precision), Tolerance);
        Assert.Equal([1.0, 1.0 / 3, 2.0 / 3], m.PerClass.Select(c => c.Recall), Tolerance);
        Assert.Equal([0.8, 0.4, 2.0 / 3], m.PerClass.Select(c => c.F1), Tolerance);
        Assert.Equal([2.0, 3.0, 3.0], m.PerClass.Select(c => c.Support));
        Assert.Equal(["a", "b", "c"], m.PerClass.Select(c => c.ClassName));
        Assert.Equal(0.611111111111111, m.MacroPrecision, Precision);
        Assert.Equal(0.6666666666666666, m.MacroRecall, Precision);
        Assert.Equal(0.6222222222222222, m.MacroF1, Precision);
        Assert.Equal(0.625, m.MicroPrecision, Precision);
        Assert.Equal(0.625, m.MicroRecall, Precision);
        Assert.Equal(0.625, m.MicroF1, Precision);
        Assert.Null(m.Auc);
    }

    [Fact]
    public void Weighted_three_class_metrics_match_scikit_learn()
    {
        float[] weights = [1, 2, 0.5f, 1, 1, 3, 1, 0.25f];

        var m = ClassificationMetrics.Compute(TruthA, ProbabilitiesA, 3, weights: weights);

        Assert.Equal(0.7692307692307693, m.Accuracy, Precision);
        Assert.Equal(0.47120213614280143, m.LogLoss, 6);
        Assert.Equal(new double[,] { { 4, 0, 0 }, { 1, 2, 0.25 }, { 0, 1, 1.5 } }, m.ConfusionMatrix.Counts);
        Assert.Equal([0.8, 0.6666666666666666, 0.8571428571428571], m.PerClass.Select(c => c.Precision), Tolerance);
        Assert.Equal([1.0, 0.6153846153846154, 0.6], m.PerClass.Select(c => c.Recall), Tolerance);
        Assert.Equal([0.888888888888889, 0.64, 0.7058823529411764], m.PerClass.Select(c => c.F1), Tolerance);
        Assert.Equal([4.0, 3.25, 2.5], m.PerClass.Select(c => c.Support));
        Assert.Equal(0.7746031746031746, m.MacroPrecision, Precision);
        Assert.Equal(0.7384615384615385, m.MacroRecall, Precision);
        Assert.Equal(0.7449237472766885, m.MacroF1, Precision);
        Assert.Equal(["0", "1", "2"], m.ClassNames);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_0_and_a_zero_probability_costs_a_finite_log_loss()
    {
        int[] truth = [0, 0, 1, 1, 2];
        float[] p = [.8f, .2f, 0, .4f, .6f, 0, .3f, .7f, 0, .1f, .9f, 0, .5f, .5f, 0];

        var m = ClassificationMetrics.Compute(truth, p, 3);

        Assert.Equal(0.6, m.Accuracy, Precision);
        Assert.Equal([0.5, 2.0 / 3, 0.0], m.PerClass.Select(c => c.Precision), Tolerance);
        Assert.Equal([0.5, 1.0, 0.0], m.PerClass.Select(c => c.Recall), Tolerance);
        Assert.Equal([0.5, 0.8, 0.0], m.PerClass.Select(c => c.F1), Tolerance);
        Assert.Equal(0.38888888888888884, m.MacroPrecision, Precision);
        Assert.Equal(0.5, m.MacroRecall, Precision);
        Assert.Equal(0.43333333333333335, m.MacroF1, Precision);
        // The tie in row 4 (.5, .5) predicts the lower index, class 0. Its true class has probability 0 → clipped to 1e-15.
        Assert.Equal(new double[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 0 } }, m.ConfusionMatrix.Counts);
        Assert.Equal(7.228049234753176, m.LogLoss, 6); // log_loss(..., eps=1e-15); scikit-learn 1.2 defaults to the float64 machine epsilon instead
    }

    [Fact]
    public void Macro_averages_skip_classes_absent_from_truth_and_predictions()
    {
        // Class 2 never occurs: averages run over classes 0 and 1 only (scikit-learn's default label set).
        var m = ClassificationMetrics.Compute([0, 1, 1, 0], [.9f, .1f, 0, .2f, .8f, 0, .6f, .4f, 0, .7f, .3f, 0], 3);

        Assert.Equal((2.0 / 3 + 1) / 2, m.MacroPrecision, Precision);
        Assert.Equal((1 + 0.5) / 2, m.MacroRecall, Precision);
        Assert.Equal((0.8 + 2.0 / 3) / 2, m.MacroF1, Precision);
        Assert.Equal(0.0, m.PerClass[2].F1);
    }

    [Fact]
    public void Binary_AUC_counts_ties_as_half_like_the_Mann_Whitney_statistic()
    {
        int[] truth = [0, 0, 1, 1, 0, 1];
        float[] p = [.9f, .1f, .6f, .4f, .65f, .35f, .2f, .8f, .6f, .4f, .6f, .4f];

        var m = ClassificationMetrics.Compute(truth, p, 2);

        Assert.Equal(0.6666666666666667, m.Auc!.Value, Precision);
        Assert.Equal(0.6666666666666666, m.Accuracy, Precision);
        Assert.Equal(0.5527113595460973, m.LogLoss, 6);
        Assert.Equal([0.6, 1.0], m.PerClass.Select(c => c.Precision), Tolerance);
        Assert.Equal(0.625, m.MacroF1, Precision);
    }

    [Fact]
    public void Weighted_binary_AUC_matches_scikit_learn()
    {
        int[] truth = [0, 0, 1, 1, 0, 1];
        float[] p = [.9f, .1f, .6f, .4f, .65f, .35f, .2f, .8f, .6f, .4f, .6f, .4f];

        var m = ClassificationMetrics.Compute(truth, p, 2, weights: [1, 2, 1, 0.5f, 1, 3]);

        Assert.Equal(0.5833333333333333, m.Auc!.Value, Precision);
        Assert.Equal(0.5294117647058824, m.Accuracy, Precision);
        Assert.Equal(0.6527180575296464, m.LogLoss, 6);
        Assert.Equal(0.4333333333333333, m.MacroF1, Precision);
    }

    [Fact]
    public void A_perfect_ranking_has_AUC_1_and_a_single_class_truth_has_none()
    {
        Assert.Equal(1.0, ClassificationMetrics.Compute([0, 1, 1], [.9f, .1f, .4f, .6f, .45f, .55f], 2).Auc);
        Assert.Null(ClassificationMetrics.Compute([1, 1], [.5f, .5f, .2f, .8f], 2).Auc);
    }

    [Fact]
    public void ToString_reports_headline_metrics_per_class_rows_and_the_matrix()
    {
        string text = ClassificationMetrics.Compute(TruthA, ProbabilitiesA, 3, ["setosa", "versicolor", "virginica"]).ToString();

        Assert.Contains("Accuracy 0.6250", text);
        Assert.Contains("Log-loss 0.6289", text);
        Assert.Contains("versicolor     0.5000  0.3333  0.4000          3", text);
        Assert.EndsWith(
            """
            truth \ predicted  setosa  versicolor  virginica
            setosa                  2           0          0
            versicolor              1           1          1
            virginica               0           1          2
            """.ReplaceLineEndings(), text);
    }

    [Fact]
    public void Inconsistent_inputs_name_the_problem()
    {
        var length = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [.5f, .5f, 1], 2));
        Assert.StartsWith("Probabilities hold 3 values; expected 2 examples × 2 classes = 4.", length.Message);
        var label = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 2], [.5f, .5f, 1, 0], 2));
        Assert.StartsWith("Example 1: true class 2 is not a class index in 0..1.", label.Message);
        var nan = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0], [float.NaN, 1], 2));
        Assert.StartsWith("Example 0: probability of class 0 is NaN", nan.Message);
        var weights = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [1, 0, 0, 1], 2, weights: [1]));
        Assert.StartsWith("Weights hold 1 values; expected one per example (2).", weights.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [1, 0, 0, 1], 2, weights: [0, 0]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0], [1, 0], 2, ["only one"]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], [], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0], [1], 1));
    }

    private static readonly Tolerant Tolerance = new();

    private sealed class Tolerant : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12;

        public int GetHashCode(double value) => 0;
    }
}
