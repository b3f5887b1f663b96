using MLNetNN.Data;

namespace MLNetNN.Onnx.Tests;

/// <summary>The real data sets of examples/data, copied beside the tests.</summary>
internal static class TestData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    public static Dataset Load(string name) => name switch
    {
        "iris" => CsvLoader.Load(PathOf("iris.csv"), "Species", LabelKind.Classification),
        "breast_cancer" => CsvLoader.Load(PathOf("breast_cancer.csv"), "Label", LabelKind.Classification),
        "digits" => CsvLoader.Load(PathOf("digits.csv"), "Label", LabelKind.Classification),
        "friedman1" => CsvLoader.Load(PathOf("friedman1.csv"), "Target", LabelKind.Regression),
        "friedman2" => CsvLoader.Load(PathOf("friedman2.csv"), "Target", LabelKind.Regression),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such data set."),
    };

    /// <summary><paramref name="count"/> rows of <paramref name="data"/>, starting at <paramref name="first"/> and wrapping around, row-major.</summary>
    public static float[] Rows(Dataset data, int first, int count)
    {
        var rows = new float[count * data.Columns];
        for (int i = 0; i < count; i++) data.Row((first + i) % data.Rows).CopyTo(rows.AsSpan(i * data.Columns));
        return rows;
    }
}
