using MLNetNN.Data;
using MLNetNN.PowerShell.Data;

namespace MLNetNN.PowerShell.Tests.Logic;

public class RowDatasetBuilderTests
{
    [Fact]
    public void Import_csv_rows_give_the_same_data_set_as_the_engines_csv_loader()
    {
        var builder = new RowDatasetBuilder("Species", LabelKind.Classification);
        foreach (var row in TestRows.Iris()) builder.Add(row);
        var fromRows = builder.Build();
        var fromFile = CsvLoader.Load(TestRows.IrisPath, "Species", LabelKind.Classification);

        Assert.Equal(fromFile.FeatureNames, fromRows.FeatureNames);
        Assert.Equal(fromFile.ClassNames, fromRows.ClassNames);
        Assert.Equal(fromFile.Features, fromRows.Features);
        Assert.Equal(fromFile.Labels, fromRows.Labels);
    }

    [Fact]
    public void Features_default_to_every_column_but_the_label_in_first_row_order()
    {
        var builder = new RowDatasetBuilder("label", LabelKind.Regression);
        builder.Add(TestRows.Row(("b", 1), ("Label", 5.0), ("a", "2")));
        builder.Add(TestRows.Row(("a", 4), ("b", 3), ("LABEL", "6"), ("extra", "ignored")));
        var data = builder.Build();

        Assert.Equal(["b", "a"], data.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f], data.Features);
        Assert.Equal([5f, 6f], data.Labels);
        Assert.Null(data.ClassNames);
    }

    [Fact]
    public void Named_features_are_read_in_the_given_order_and_others_ignored()
    {
        var builder = new RowDatasetBuilder("y", LabelKind.Classification, ["c", "a"]);
        builder.Add(TestRows.Row(("a", 1), ("b", "not a number"), ("c", 3), ("y", 1)));
        builder.Add(TestRows.Row(("a", 4), ("b", "x"), ("c", 6), ("y", 0)));
        var data = builder.Build();

        Assert.Equal(["c", "a"], data.FeatureNames);
        Assert.Equal([3f, 1f, 6f, 4f], data.Features);
        Assert.Equal(["0", "1"], data.ClassNames);
        Assert.Equal([1f, 0f], data.Labels);
    }

    [Fact]
    public void A_row_without_the_label_names_the_row_and_lists_its_columns()
    {
        var builder = new RowDatasetBuilder("Species", LabelKind.Classification);
        builder.Add(TestRows.Row(("x", 1), ("Species", "a")));
        var e = Assert.Throws<RowFormatException>(() => builder.Add(TestRows.Row(("x", 2), ("species_", "b"))));
        Assert.Equal("Row 2, column 'Species': the row has no label column 'Species'; its columns are 'x', 'species_'.", e.Message);
    }

    [Fact]
    public void A_row_without_a_feature_names_the_row_and_the_feature()
    {
        var builder = new RowDatasetBuilder("y", LabelKind.Classification);
        builder.Add(TestRows.Row(("x1", 1), ("x2", 1), ("y", "a")));
        var e = Assert.Throws<RowFormatException>(() => builder.Add(TestRows.Row(("x1", 1), ("y", "b"))));
        Assert.StartsWith("Row 2, column 'x2': the row has no column 'x2'", e.Message);
    }

    [Fact]
    public void A_non_numeric_feature_names_the_row_and_column()
    {
        var builder = new RowDatasetBuilder("Species", LabelKind.Classification);
        var rows = TestRows.Iris();
        rows[2][1] = new("SepalWidth", "wide");
        var e = Assert.Throws<RowFormatException>(() => rows.ForEach(builder.Add));
        Assert.StartsWith("Row 3, column 'SepalWidth': 'wide' is not a number", e.Message);
    }

    [Fact]
    public void A_regression_target_must_be_a_number()
    {
        var builder = new RowDatasetBuilder("Price", LabelKind.Regression);
        var e = Assert.Throws<RowFormatException>(() => builder.Add(TestRows.Row(("x", 1), ("Price", "cheap"))));
        Assert.StartsWith("Row 1, column 'Price': 'cheap' is not a number", e.Message);
    }

    [Fact]
    public void With_the_models_classes_a_test_set_keeps_their_indices_and_rejects_unknown_ones()
    {
        var builder = new RowDatasetBuilder("y", LabelKind.Classification, ["x"], ["a", "b", "c"]);
        builder.Add(TestRows.Row(("x", 1), ("y", "c")));
        var data = builder.Build();
        Assert.Equal(["a", "b", "c"], data.ClassNames);
        Assert.Equal([2f], data.Labels);

        var e = Assert.Throws<RowFormatException>(() => builder.Add(TestRows.Row(("x", 1), ("y", "d"))));
        Assert.Equal("Row 2, column 'y': 'd' is not one of the model's classes: a, b, c.", e.Message);
    }

    [Fact]
    public void Contradictory_columns_are_refused_before_any_row_is_read()
    {
        Assert.Throws<ArgumentException>(() => new RowDatasetBuilder("y", LabelKind.Classification, ["x", "Y"]));
        Assert.Throws<ArgumentException>(() => new RowDatasetBuilder("y", LabelKind.Classification, ["x", "X"]));
        Assert.Throws<ArgumentException>(() => new RowDatasetBuilder("y", LabelKind.Classification, []));
        Assert.Throws<ArgumentException>(() => new RowDatasetBuilder("y", LabelKind.Regression, null, ["a"]));
    }

    [Fact]
    public void A_row_with_only_the_label_has_no_features()
    {
        var builder = new RowDatasetBuilder("y", LabelKind.Classification);
        var e = Assert.Throws<RowFormatException>(() => builder.Add(TestRows.Row(("y", "a"))));
        Assert.Contains("no columns besides the label", e.Message);
    }

    [Fact]
    public void No_rows_is_an_error_that_says_how_to_give_them()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new RowDatasetBuilder("y", LabelKind.Classification).Build());
        Assert.Contains("-Path", e.Message);
    }
}
