using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace MLNetNN.Metrics;

/// <summary>
/// Quality of a classifier's predicted class probabilities against the true classes, as scikit-learn computes
/// it: accuracy, log-loss, the confusion matrix, per-class and averaged precision/recall/F1 and, for two
/// classes, ROC AUC. Create with <see cref="Compute"/>.
/// </summary>
/// <remarks>
/// The predicted class of a row is the argmax of its probabilities, the lowest index on ties. With weights, every
/// count below (confusion cells, supports, TP/FP/FN) is a sum of weights.
/// </remarks>
public sealed class ClassificationMetrics
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] before the logarithm so a confident mistake costs a finite amount (scikit-learn's ε).</summary>
    private const double LogLossEpsilon = 1e-15;

    private ClassificationMetrics(int rows, double accuracy, double logLoss, ConfusionMatrix confusion,
        IReadOnlyList<ClassMetrics> perClass, double macroPrecision, double macroRecall, double macroF1, double? auc)
    {
        Rows = rows;
        Accuracy = accuracy;
        LogLoss = logLoss;
        ConfusionMatrix = confusion;
        PerClass = perClass;
        MacroPrecision = macroPrecision;
        MacroRecall = macroRecall;
        MacroF1 = macroF1;
        Auc = auc;
    }

    /// <summary>Number of examples evaluated.</summary>
    public int Rows { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => ConfusionMatrix.ClassCount;

    /// <summary>The class names ("0".."K−1" when none were given).</summary>
    public IReadOnlyList<string> ClassNames => ConfusionMatrix.ClassNames;

    /// <summary>Share of examples whose predicted class is the true one: Σᵢ wᵢ·[ŷᵢ = yᵢ] / Σᵢ wᵢ.</summary>
    public double Accuracy { get; }

    /// <summary>
    /// Mean negative log-likelihood of the true class, −Σᵢ wᵢ·ln(clip(pᵢ,yᵢ)) / Σᵢ wᵢ, with probabilities clipped to
    /// [1e−15, 1 − 1e−15]. Probabilities are used as given, not renormalised. 0 is perfect; ln K is a uniform guess.
    /// </summary>
    public double LogLoss { get; }

    /// <summary>Counts [truth, predicted].</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>Precision, recall, F1 and support of each class, by class index.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>
    /// Unweighted mean of the per-class precisions over the classes that occur in the truth or the predictions
    /// (scikit-learn's default label set); a class absent from both would otherwise drag the mean down for nothing.
    /// </summary>
    public double MacroPrecision { get; }

    /// <summary>Unweighted mean of the per-class recalls, over the same classes as <see cref="MacroPrecision"/>.</summary>
    public double MacroRecall { get; }

    /// <summary>Unweighted mean of the per-class F1 scores, over the same classes as <see cref="MacroPrecision"/>.</summary>
    public double MacroF1 { get; }

    /// <summary>
    /// Precision from the pooled counts, ΣTP / (ΣTP + ΣFP). With one label per example every error is one FP and
    /// one FN, so it equals <see cref="Accuracy"/>.
    /// </summary>
    public double MicroPrecision => Accuracy;

    /// <summary>Recall from the pooled counts, ΣTP / (ΣTP + ΣFN); equals <see cref="Accuracy"/> for single-label data.</summary>
    public double MicroRecall => Accuracy;

    /// <summary>F1 from the pooled counts; equals <see cref="Accuracy"/> for single-label data.</summary>
    public double MicroF1 => Accuracy;

    /// <summary>
    /// For two classes, the area under the ROC curve of the class-1 probability: the probability that a random
    /// class-1 example scores higher than a random class-0 example, ties counting ½ (the Mann–Whitney U statistic
    /// over average ranks, U / (n₁·n₀), weighted pairwise when weights are given). Null for more than two classes,
    /// or when the truth holds only one class (the statistic is then undefined).
    /// </summary>
    public double? Auc { get; }

    /// <summary>Evaluates predicted class probabilities against the true classes.</summary>
    /// <param name="truth">True class index of each example, in 0..<paramref name="classCount"/>−1.</param>
    /// <param name="probabilities">Row-major, examples × <paramref name="classCount"/>; finite and ≥ 0.</param>
    /// <param name="classCount">Number of classes K ≥ 2.</param>
    /// <param name="classNames">Optional names, one per class.</param>
    /// <param name="weights">Optional per-example weights (finite, ≥ 0, not all 0); empty means all 1.</param>
    /// <exception cref="ArgumentException">Lengths disagree, or a value is out of range; the message names the example.</exception>
    public static ClassificationMetrics Compute(ReadOnlySpan<int> truth, ReadOnlySpan<float> probabilities, int classCount,
        IReadOnlyList<string>? classNames = null, ReadOnlySpan<float> weights = default)
    {
        Validate(truth, probabilities, classCount, classNames, weights);
        int n = truth.Length, k = classCount;

        var counts = new double[k, k];
        double totalWeight = 0, correct = 0, logLoss = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(i * k, k);
            double w = weights.IsEmpty ? 1 : weights[i];
            int predicted = TensorPrimitives.IndexOfMax(p);
            counts[truth[i], predicted] += w;
            totalWeight += w;
            if (predicted == truth[i]) correct += w;
            logLoss -= w * Math.Log(Math.Clamp(p[truth[i]], LogLossEpsilon, 1 - LogLossEpsilon));
        }

        var confusion = new ConfusionMatrix(counts, classNames);
        var perClass = new ClassMetrics[k];
        double macroP = 0, macroR = 0, macroF = 0;
        int averaged = 0;
        for (int c = 0; c < k; c++)
        {
            double tp = counts[c, c], actual = 0, predictedTotal = 0;
            for (int j = 0; j < k; j++)
            {
                actual += counts[c, j];
                predictedTotal += counts[j, c];
            }
            // zero_division = 0: an undefined ratio scores 0 rather than NaN, so averages stay finite.
            double precision = predictedTotal > 0 ? tp / predictedTotal : 0;
            double recall = actual > 0 ? tp / actual : 0;
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            perClass[c] = new ClassMetrics(confusion.ClassNames[c], precision, recall, f1, actual);
            if (actual > 0 || predictedTotal > 0)
            {
                macroP += precision;
                macroR += recall;
                macroF += f1;
                averaged++;
            }
        }

        double? auc = k == 2 ? BinaryAuc(truth, probabilities, weights) : null;
        return new ClassificationMetrics(n, correct / totalWeight, logLoss / totalWeight, confusion, perClass,
            macroP / averaged, macroR / averaged, macroF / averaged, auc);
    }

    /// <summary>
    /// A readable report: the headline metrics, a per-class table and the confusion matrix.
    /// </summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"Accuracy {Accuracy:0.0000}  Log-loss {LogLoss:0.0000}");
        if (Auc is { } auc) text.Append(inv, $"  AUC {auc:0.0000}");
        text.AppendLine();
        text.AppendLine(inv, $"Macro precision {MacroPrecision:0.0000}  recall {MacroRecall:0.0000}  F1 {MacroF1:0.0000}  ({Rows} examples)");

        int nameWidth = Math.Max("class".Length, ClassNames.Max(n => n.Length));
        text.AppendLine(inv, $"{"class".PadRight(nameWidth)}  precision  recall      F1    support");
        foreach (ClassMetrics c in PerClass)
        {
            text.AppendLine(inv, $"{c.ClassName.PadRight(nameWidth)}  {c.Precision,9:0.0000}  {c.Recall,6:0.0000}  {c.F1,6:0.0000}  {c.Support,9:0.###}");
        }
        text.AppendLine("Confusion matrix (rows: truth, columns: predicted)");
        text.Append(ConfusionMatrix.ToString());
        return text.ToString();
    }

    private static void Validate(ReadOnlySpan<int> truth, ReadOnlySpan<float> probabilities, int classCount,
        IReadOnlyList<string>? classNames, ReadOnlySpan<float> weights)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Classification needs at least 2 classes.");
        if (truth.IsEmpty) throw new ArgumentException("There are no examples to evaluate.", nameof(truth));
        if ((long)truth.Length * classCount != probabilities.Length)
        {
            throw new ArgumentException(
                $"Probabilities hold {probabilities.Length} values; expected {truth.Length} examples × {classCount} classes = {(long)truth.Length * classCount}.",
                nameof(probabilities));
        }
        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"{classNames.Count} class names given for {classCount} classes.", nameof(classNames));
        if (!weights.IsEmpty && weights.Length != truth.Length)
            throw new ArgumentException($"Weights hold {weights.Length} values; expected one per example ({truth.Length}).", nameof(weights));

        double totalWeight = weights.IsEmpty ? truth.Length : 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= (uint)classCount)
                throw new ArgumentException($"Example {i}: true class {truth[i]} is not a class index in 0..{classCount - 1}.", nameof(truth));
            for (int c = 0; c < classCount; c++)
            {
                float p = probabilities[i * classCount + c];
                if (!float.IsFinite(p) || p < 0)
                    throw new ArgumentException($"Example {i}: probability of class {c} is {p}; expected a finite value ≥ 0.", nameof(probabilities));
            }
            if (!weights.IsEmpty)
            {
                if (!float.IsFinite(weights[i]) || weights[i] < 0)
                    throw new ArgumentException($"Example {i}: weight {weights[i]} is not a finite value ≥ 0.", nameof(weights));
                totalWeight += weights[i];
            }
        }
        if (totalWeight <= 0) throw new ArgumentException("The weights sum to 0; at least one example must count.", nameof(weights));
    }

    /// <summary>
    /// Σ over (positive i, negative j) of wᵢ·wⱼ·([sᵢ &gt; sⱼ] + ½[sᵢ = sⱼ]) / (W₊·W₋), by one sweep over the scores in
    /// ascending order: each tie group's positives beat all negatives below it and tie with the negatives inside it.
    /// </summary>
    private static double? BinaryAuc(ReadOnlySpan<int> truth, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> weights)
    {
        int n = truth.Length;
        var scores = new float[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            scores[i] = probabilities[2 * i + 1];
            order[i] = i;
        }
        Array.Sort(scores, order);

        double negativesBelow = 0, positives = 0, area = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            double groupPositives = 0, groupNegatives = 0;
            while (end < n && scores[end] == scores[start])
            {
                double w = weights.IsEmpty ? 1 : weights[order[end]];
                if (truth[order[end]] == 1) groupPositives += w; else groupNegatives += w;
                end++;
            }
            area += groupPositives * (negativesBelow + 0.5 * groupNegatives);
            negativesBelow += groupNegatives;
            positives += groupPositives;
            start = end;
        }
        return positives > 0 && negativesBelow > 0 ? area / (positives * negativesBelow) : null;
    }
}
