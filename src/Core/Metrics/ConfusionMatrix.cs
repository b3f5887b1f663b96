using System.Globalization;
using System.Text;

namespace MLNetNN.Metrics;

/// <summary>
/// A confusion matrix: <see cref="Counts"/>[t, p] is the number (or total weight) of examples of true class t
/// predicted as class p. The diagonal holds the correct predictions.
/// </summary>
public sealed class ConfusionMatrix
{
    /// <summary>Creates a matrix from counts (copied).</summary>
    /// <param name="counts">Square matrix indexed [truth, predicted]; entries finite and ≥ 0.</param>
    /// <param name="classNames">One name per class; null names them "0".."K−1".</param>
    /// <exception cref="ArgumentException">The matrix is empty or not square, an entry is negative or not finite, or the names do not match.</exception>
    public ConfusionMatrix(double[,] counts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.GetLength(0);
        if (k == 0 || counts.GetLength(1) != k)
            throw new ArgumentException($"A confusion matrix must be square and non-empty; got {k}×{counts.GetLength(1)}.", nameof(counts));
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                if (!double.IsFinite(counts[t, p]) || counts[t, p] < 0)
                    throw new ArgumentException($"Count [{t}, {p}] is {counts[t, p]}; counts must be finite and ≥ 0.", nameof(counts));
            }
        }
        if (classNames is not null && classNames.Count != k)
            throw new ArgumentException($"{classNames.Count} class names given for {k} classes.", nameof(classNames));

        Counts = (double[,])counts.Clone();
        ClassNames = classNames?.ToArray() ?? Enumerable.Range(0, k).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Counts indexed [truth, predicted]; total weights when the examples were weighted.</summary>
    public double[,] Counts { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The name of each class index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// An aligned text table, rows = truth and columns = predicted, e.g.
    /// <code>
    /// truth \ predicted  cat  dog
    /// cat                  5    1
    /// dog                  0    4
    /// </code>
    /// </summary>
    public override string ToString()
    {
        const string corner = "truth \\ predicted";
        int k = ClassCount;
        var cells = new string[k, k];
        bool integral = true;
        foreach (double c in Counts) integral &= c == Math.Floor(c);
        string format = integral ? "0" : "0.###";
        int cellWidth = 0;
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                cells[t, p] = Counts[t, p].ToString(format, CultureInfo.InvariantCulture);
                cellWidth = Math.Max(cellWidth, cells[t, p].Length);
            }
        }
        int firstWidth = Math.Max(corner.Length, ClassNames.Max(n => n.Length));

        var text = new StringBuilder();
        text.Append(corner.PadRight(firstWidth));
        for (int p = 0; p < k; p++) text.Append("  ").Append(ClassNames[p].PadLeft(Math.Max(cellWidth, ClassNames[p].Length)));
        for (int t = 0; t < k; t++)
        {
            text.AppendLine().Append(ClassNames[t].PadRight(firstWidth));
            for (int p = 0; p < k; p++) text.Append("  ").Append(cells[t, p].PadLeft(Math.Max(cellWidth, ClassNames[p].Length)));
        }
        return text.ToString();
    }
}
