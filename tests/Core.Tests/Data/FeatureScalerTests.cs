using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

public class FeatureScalerTests
{
    private static Dataset Table(int columns, params float[] features) =>
        new(features, features.Length / columns, columns, new float[features.Length / columns]);

    private static (double Mean, double Std) ColumnStats(Dataset data, int column)
    {
        double[] values = Enumerable.Range(0, data.Rows).Select(i => (double)data.Row(i)[column]).ToArray();
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()));
    }

    [Fact]
    public void Standardization_gives_every_iris_column_mean_0_and_population_std_1()
    {
        Dataset iris = CsvLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"), "Species", LabelKind.Classification);

        FeatureScaler scaler = FeatureScaler.FitStandardization(iris);
        Dataset scaled = scaler.Transform(iris);

        Assert.Equal(ScalerKind.Standardization, scaler.Kind);
        Assert.Equal(4, scaler.Columns);
        for (int j = 0; j < 4; j++)
        {
            var (mean, std) = ColumnStats(scaled, j);
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, std, 1e-5);
        }
        Assert.Same(iris.Labels, scaled.Labels);
        Assert.Equal(iris.ClassNames, scaled.ClassNames);
    }

    [Fact]
    public void Standardization_stores_the_mean_and_the_inverse_population_std()
    {
        // Column 0: 1, 2, 3, 4 → mean 2.5, population variance 1.25.
        FeatureScaler scaler = FeatureScaler.FitStandardization(Table(2, 1, 10, 2, 10, 3, 10, 4, 10));

        Assert.Equal(2.5f, scaler.Offset[0]);
        Assert.Equal((float)(1 / Math.Sqrt(1.25)), scaler.Scale[0], 6);
    }

    [Fact]
    public void A_constant_column_gets_scale_1_and_becomes_zeros()
    {
        FeatureScaler scaler = FeatureScaler.FitStandardization(Table(2, 1, 7, 2, 7, 3, 7));

        Assert.Equal(7f, scaler.Offset[1]);
        Assert.Equal(1f, scaler.Scale[1]);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0f, scaler.Transform(Table(2, 1, 7, 2, 7, 3, 7)).Row(i)[1]));
    }

    [Fact]
    public void MinMax_maps_the_training_range_onto_the_target_range()
    {
        Dataset train = Table(2, -2, 5, 0, 5, 6, 5);

        Dataset scaled = FeatureScaler.FitMinMax(train, -1, 1).Transform(train);

        Assert.Equal(-1f, scaled.Row(0)[0], 6);
        Assert.Equal(-0.5f, scaled.Row(1)[0], 6);
        Assert.Equal(1f, scaled.Row(2)[0], 6);
        // The constant column maps to the lower bound.
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(-1f, scaled.Row(i)[1], 6));
    }

    [Fact]
    public void MinMax_defaults_to_the_unit_interval_on_real_data()
    {
        Dataset data = CsvLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv"), "Label", LabelKind.Classification);

        Dataset scaled = FeatureScaler.FitMinMax(data).Transform(data);

        for (int j = 0; j < data.Columns; j++)
        {
            float[] column = Enumerable.Range(0, data.Rows).Select(i => scaled.Row(i)[j]).ToArray();
            Assert.Equal(0f, column.Min(), 5);
            Assert.Equal(1f, column.Max(), 5);
        }
    }

    [Fact]
    public void New_data_is_scaled_with_the_training_statistics()
    {
        FeatureScaler scaler = FeatureScaler.FitStandardization(Table(1, 0, 2, 4, 6)); // mean 3, std √5

        Dataset scaled = scaler.Transform(Table(1, 3, 100));

        Assert.Equal(0f, scaled.Features[0], 6);
        Assert.Equal((float)(97 / Math.Sqrt(5)), scaled.Features[1], 4);
        Assert.Equal(0f, FeatureScaler.FitMinMax(Table(1, 10, 20)).Transform(Table(1, 10, 30)).Features[0], 6);
        Assert.Equal(2f, FeatureScaler.FitMinMax(Table(1, 10, 20)).Transform(Table(1, 10, 30)).Features[1], 6);
    }

    [Fact]
    public void Row_and_batch_transforms_agree_and_may_work_in_place()
    {
        var scaler = new FeatureScaler(ScalerKind.MinMax, [1f, -2f, 0.5f], [2f, 0.5f, -1f]);
        float[] batch = [1, 2, 3, 4, 5, 6];
        var expected = new float[6];
        for (int i = 0; i < 6; i++) expected[i] = (batch[i] - scaler.Offset[i % 3]) * scaler.Scale[i % 3];

        var single = new float[3];
        scaler.Transform(batch.AsSpan(3, 3), single);
        scaler.TransformRows(batch, batch);

        Assert.Equal(expected, batch);
        Assert.Equal(expected[3..], single);
    }

    [Fact]
    public void Wrong_widths_name_expected_and_actual()
    {
        var scaler = new FeatureScaler(ScalerKind.Standardization, [0f, 0f], [1f, 1f]);

        var row = Assert.Throws<ArgumentException>(() => scaler.Transform(new float[3], new float[2]));
        Assert.StartsWith("The row has 3 values; the scaler expects 2.", row.Message);
        var destination = Assert.Throws<ArgumentException>(() => scaler.Transform(new float[2], new float[1]));
        Assert.StartsWith("The destination has 1 values; the scaler expects 2.", destination.Message);
        var batch = Assert.Throws<ArgumentException>(() => scaler.TransformRows(new float[5], new float[5]));
        Assert.StartsWith("The batch has 5 values, not a whole number of rows of 2.", batch.Message);
        var data = Assert.Throws<ArgumentException>(() => scaler.Transform(Table(3, 1, 2, 3)));
        Assert.StartsWith("The data set has 3 feature columns; the scaler was fitted on 2.", data.Message);
    }

    [Fact]
    public void The_constructor_validates_and_copies_its_parameters()
    {
        Assert.Throws<ArgumentException>(() => new FeatureScaler(ScalerKind.MinMax, [0f, 1f], [1f]));
        Assert.Throws<ArgumentException>(() => new FeatureScaler(ScalerKind.MinMax, [float.NaN], [1f]));
        Assert.Throws<ArgumentException>(() => new FeatureScaler(ScalerKind.MinMax, [0f], [float.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => new FeatureScaler(ScalerKind.MinMax, [], []));

        float[] offset = [1f];
        var scaler = new FeatureScaler(ScalerKind.MinMax, offset, [1f]);
        offset[0] = 5f;
        Assert.Equal(1f, scaler.Offset[0]);
    }

    [Fact]
    public void Fitting_needs_rows_and_a_valid_range()
    {
        Assert.Throws<ArgumentException>(() => FeatureScaler.FitStandardization(Table(2)));
        Assert.Throws<ArgumentException>(() => FeatureScaler.FitMinMax(Table(1, 1, 2), 1, 1));
    }

    [Fact]
    public void A_column_spread_only_in_subnormal_digits_is_treated_as_constant_not_scaled_to_infinity()
    {
        // σ = 7E−46 and a range of 1.4E−45: 1/σ and 1/range exceed float range, which made the scaler's constructor throw.
        Dataset data = Table(2, 0f, 1f, float.Epsilon, 3f);

        FeatureScaler standard = FeatureScaler.FitStandardization(data);
        FeatureScaler minMax = FeatureScaler.FitMinMax(data, -1f, 1f);

        Assert.Equal(1f, standard.Scale[0]);
        Assert.Equal(1f, standard.Scale[1]); // the normal column is untouched: 1/σ of {1, 3}
        Assert.Equal(1f, minMax.Scale[0]);
        Assert.Equal([-1f, -1f], minMax.Transform(data).Features.Where((_, i) => i % 2 == 0));
        Assert.All(standard.Transform(data).Features, v => Assert.True(float.IsFinite(v)));
    }
}
