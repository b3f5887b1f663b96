using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

/// <summary>The data set's constructor is where in-memory data enters: bad values are refused there, naming row and column.</summary>
public class DatasetTests
{
    // Long enough that the bad values below sit in the vectorised part as well as in the scalar tail.
    private const int Rows = 101;

    private static float[] Features(int columns) => Enumerable.Range(0, Rows * columns).Select(i => (float)(i % 7)).ToArray();

    [Theory]
    [InlineData(float.NaN, 0, 0)]
    [InlineData(float.PositiveInfinity, 37, 2)]
    [InlineData(float.NegativeInfinity, 100, 1)]
    public void A_non_finite_feature_names_its_row_and_feature(float bad, int row, int column)
    {
        float[] features = Features(3);
        features[row * 3 + column] = bad;

        var error = Assert.Throws<ArgumentException>(() =>
            new Dataset(features, Rows, 3, new float[Rows], featureNames: ["sepal", "petal", "stem"]));

        Assert.StartsWith($"Row {row}, feature '{new[] { "sepal", "petal", "stem" }[column]}': {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number.", error.Message);
        Assert.Equal("features", error.ParamName);
    }

    [Fact]
    public void Without_names_the_feature_is_named_by_its_default_name()
    {
        float[] features = Features(2);
        features[2 * 2 + 1] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => new Dataset(features, Rows, 2, new float[Rows]));

        Assert.StartsWith("Row 2, feature 'f1': NaN is not a finite number.", error.Message);
    }

    [Fact]
    public void A_non_finite_regression_target_names_its_row_and_target_column()
    {
        var labels = new float[Rows * 2];
        labels[99 * 2 + 1] = float.PositiveInfinity;

        var error = Assert.Throws<ArgumentException>(() => new Dataset(Features(1), Rows, 1, labels, labelWidth: 2));

        Assert.StartsWith("Row 99, label column 1: Infinity is not a finite number.", error.Message);
        Assert.Equal("labels", error.ParamName);
    }

    [Fact]
    public void A_NaN_single_label_names_its_row()
    {
        var labels = new float[Rows];
        labels[64] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => new Dataset(Features(1), Rows, 1, labels));

        Assert.StartsWith("Row 64, the label: NaN is not a finite number.", error.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN is not a finite number.")]
    [InlineData(float.PositiveInfinity, "Infinity is not a finite number.")]
    [InlineData(-0.5f, "-0.5 is negative; weights must be ≥ 0.")]
    public void A_bad_weight_names_its_row(float bad, string problem)
    {
        float[] weights = Enumerable.Repeat(1f, Rows).ToArray();
        weights[70] = bad;
        weights[90] = bad;

        var error = Assert.Throws<ArgumentException>(() => new Dataset(Features(1), Rows, 1, new float[Rows], weights: weights));

        Assert.StartsWith($"Row 70, the weight: {problem}", error.Message);
        Assert.Equal("weights", error.ParamName);
    }

    [Fact]
    public void Zero_weights_and_extreme_finite_values_are_accepted()
    {
        float[] features = Features(2);
        features[5] = float.MaxValue;
        features[6] = -float.MaxValue;
        features[7] = float.Epsilon;
        var weights = new float[Rows];
        weights[3] = -0f;

        var data = new Dataset(features, Rows, 2, new float[Rows], weights: weights);

        Assert.Equal(Rows, data.Rows);
        Assert.Equal(["f0", "f1"], data.FeatureNames);
    }

    [Fact]
    public void Scaling_that_overflows_is_refused_like_any_other_infinity()
    {
        // (x − mean) × scale in float overflows for values near ±3.4E+38: the scaled data set names where.
        var data = new Dataset([float.MaxValue, -float.MaxValue], 2, 1, new float[2]);
        var scaler = new FeatureScaler(ScalerKind.Standardization, [-float.MaxValue], [1f]);

        var error = Assert.Throws<ArgumentException>(() => scaler.Transform(data));

        Assert.StartsWith("Row 0, feature 'f0': Infinity is not a finite number.", error.Message);
    }
}
