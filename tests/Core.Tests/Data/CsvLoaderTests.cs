using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

public class CsvLoaderTests
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    private static Dataset Parse(string text, string label = "y", LabelKind kind = LabelKind.Regression, CsvReadOptions? options = null) =>
        CsvLoader.Load(new StringReader(text), "test.csv", label, kind, options);

    private static CsvFormatException ParseFails(string text, string label = "y", LabelKind kind = LabelKind.Regression, CsvReadOptions? options = null) =>
        Assert.Throws<CsvFormatException>(() => Parse(text, label, kind, options));

    [Fact]
    public void Iris_loads_150_rows_of_4_features_and_3_named_classes()
    {
        Dataset iris = CsvLoader.Load(DataFile("iris.csv"), "Species", LabelKind.Classification);

        Assert.Equal(150, iris.Rows);
        Assert.Equal(4, iris.Columns);
        Assert.Equal(["SepalLength", "SepalWidth", "PetalLength", "PetalWidth"], iris.FeatureNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.Row(0).ToArray());
        Assert.Equal(0f, iris.Labels[0]);
        Assert.Equal(2f, iris.Labels[149]);
        Assert.Null(iris.Weights);
        for (int c = 0; c < 3; c++) Assert.Equal(50, iris.Labels.Count(y => y == c));
    }

    [Fact]
    public void Breast_cancer_loads_569_rows_of_30_features_with_classes_0_and_1()
    {
        Dataset data = CsvLoader.Load(DataFile("breast_cancer.csv"), "Label", LabelKind.Classification);

        Assert.Equal(569, data.Rows);
        Assert.Equal(30, data.Columns);
        Assert.Equal(["0", "1"], data.ClassNames);
        Assert.Equal("mean radius", data.FeatureNames[0]);
        Assert.Equal(17.99f, data.Row(0)[0]);
    }

    [Fact]
    public void Digits_loads_1797_rows_of_64_pixels_and_10_classes_in_numeric_order()
    {
        Dataset data = CsvLoader.Load(DataFile("digits.csv"), "Label", LabelKind.Classification);

        Assert.Equal(1797, data.Rows);
        Assert.Equal(64, data.Columns);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), data.ClassNames);
        Assert.All(data.Features, v => Assert.InRange(v, 0f, 16f));
    }

    [Fact]
    public void ReadHeader_returns_the_column_names()
    {
        Assert.Equal(["SepalLength", "SepalWidth", "PetalLength", "PetalWidth", "Species"], CsvLoader.ReadHeader(DataFile("iris.csv")));
    }

    [Fact]
    public void A_test_file_loaded_with_the_training_class_names_keeps_their_indices()
    {
        var options = new CsvReadOptions { ClassNames = ["setosa", "versicolor", "virginica"] };
        Dataset test = Parse("a,y\n1,virginica\n2,virginica\n", kind: LabelKind.Classification, options: options);

        Assert.Equal(["setosa", "versicolor", "virginica"], test.ClassNames);
        Assert.Equal([2f, 2f], test.Labels);
    }

    [Fact]
    public void A_label_outside_the_given_class_names_names_its_line_and_value()
    {
        var options = new CsvReadOptions { ClassNames = ["cat", "dog"] };
        var error = ParseFails("a,y\n1,cat\n2,bird\n", kind: LabelKind.Classification, options: options);

        Assert.Equal(3, error.Line);
        Assert.Equal("y", error.Column);
        Assert.Equal("bird", error.Value);
        Assert.Equal("test.csv, line 3, column 'y': 'bird' is not one of the known classes: cat, dog.", error.Message);
    }

    [Fact]
    public void Numeric_class_labels_are_ordered_by_value_so_10_follows_9()
    {
        Dataset data = Parse("a,y\n1,10\n2,9\n3,2\n4,-1\n5,9\n", kind: LabelKind.Classification);

        Assert.Equal(["-1", "2", "9", "10"], data.ClassNames);
        Assert.Equal([3f, 2f, 1f, 0f, 2f], data.Labels);
    }

    [Fact]
    public void Text_class_labels_are_ordered_ordinally()
    {
        Dataset data = Parse("a,y\n1,b\n2,B\n3,a\n4,10\n", kind: LabelKind.Classification);

        Assert.Equal(["10", "B", "a", "b"], data.ClassNames);
        Assert.Equal([3f, 1f, 2f, 0f], data.Labels);
    }

    [Fact]
    public void Quoted_fields_may_hold_separators_doubled_quotes_and_line_breaks()
    {
        Dataset data = Parse("\"x, first\",\"y\"\"s\",label\n  \"1.5\" , 2,\"a,b\"\n3,4,\"say \"\"hi\"\"\nthere\"\n5,6,\"a,b\"\n",
            label: "label", kind: LabelKind.Classification);

        Assert.Equal(["x, first", "y\"s"], data.FeatureNames);
        Assert.Equal([1.5f, 2f, 3f, 4f, 5f, 6f], data.Features);
        Assert.Equal(["a,b", "say \"hi\"\nthere"], data.ClassNames);
        Assert.Equal([0f, 1f, 0f], data.Labels);
    }

    [Fact]
    public void Whitespace_is_trimmed_and_blank_lines_are_skipped()
    {
        Dataset data = Parse("\n a , y \n\n 1.5 ,\t2 \n   \n3,4\n\n");

        Assert.Equal(["a"], data.FeatureNames);
        Assert.Equal([1.5f, 3f], data.Features);
        Assert.Equal([2f, 4f], data.Labels);
    }

    [Fact]
    public void Numbers_use_the_invariant_culture_whatever_the_current_one()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Dataset data = Parse("a;y\n1.25;-2e3\n", options: new CsvReadOptions { Separator = ';' });
            Assert.Equal([1.25f], data.Features);
            Assert.Equal([-2000f], data.Labels);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Without_a_header_columns_are_named_Column0_onwards()
    {
        Dataset data = Parse("1,2,x\n3,4,y\n", label: "Column2", kind: LabelKind.Classification, options: new CsvReadOptions { HasHeader = false });

        Assert.Equal(2, data.Rows);
        Assert.Equal(["Column0", "Column1"], data.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f], data.Features);
    }

    [Fact]
    public void Feature_columns_weight_and_extra_targets_are_picked_by_name()
    {
        var options = new CsvReadOptions { FeatureColumns = ["c", "a"], AdditionalLabelColumns = ["y2"], WeightColumn = "w" };
        Dataset data = Parse("a,y,b,w,c,y2\n1,10,99,0.5,3,20\n4,40,99,2,6,50\n", options: options);

        Assert.Equal(["c", "a"], data.FeatureNames);
        Assert.Equal([3f, 1f, 6f, 4f], data.Features);
        Assert.Equal(2, data.LabelWidth);
        Assert.Equal([10f, 20f, 40f, 50f], data.Labels);
        Assert.Equal([0.5f, 2f], data.Weights!);
    }

    [Fact]
    public void Tab_separated_files_keep_empty_tab_fields_apart()
    {
        Dataset data = Parse("a\tb\ty\n1\t2\t3\n", options: new CsvReadOptions { Separator = '\t' });

        Assert.Equal([1f, 2f], data.Features);
    }

    [Fact]
    public void A_missing_label_column_lists_the_available_columns()
    {
        var error = ParseFails("a,b\n1,2\n", label: "Species");

        Assert.Equal(1, error.Line);
        Assert.Equal("Species", error.Column);
        Assert.Equal("test.csv, line 1, column 'Species': label column not found; available columns: a, b.", error.Message);
    }

    [Fact]
    public void A_missing_feature_column_is_named()
    {
        var error = ParseFails("a,y\n1,2\n", options: new CsvReadOptions { FeatureColumns = ["a", "z"] });

        Assert.Equal("z", error.Column);
        Assert.Contains("feature column not found", error.Message);
    }

    [Fact]
    public void A_duplicate_header_name_is_rejected_with_both_positions()
    {
        var error = ParseFails("a,b,a,y\n1,2,3,4\n");

        Assert.Equal(1, error.Line);
        Assert.Equal("a", error.Column);
        Assert.Contains("appears twice (fields 1 and 3)", error.Message);
    }

    [Fact]
    public void A_row_with_too_few_fields_names_the_line_and_the_counts()
    {
        var error = ParseFails("a,b,y\n1,2,3\n\n4,5\n");

        Assert.Equal(4, error.Line);
        Assert.Equal("test.csv, line 4: expected 3 fields, got 2; column 'y' onwards is missing.", error.Message);
    }

    [Fact]
    public void A_row_with_too_many_fields_names_the_line_and_the_counts()
    {
        var error = ParseFails("a,y\n1,2\n3,4,\n");

        Assert.Equal(3, error.Line);
        Assert.StartsWith("test.csv, line 3: expected 2 fields, got 3;", error.Message);
    }

    [Fact]
    public void A_non_numeric_feature_names_line_column_and_value()
    {
        var error = ParseFails("a,PetalWidth,y\n1,2,3\n4,5,6\n1,2,3\n1,2,3\n1,2,3\n1,abc,3\n");

        Assert.Equal(7, error.Line);
        Assert.Equal("PetalWidth", error.Column);
        Assert.Equal("abc", error.Value);
        Assert.Equal("test.csv, line 7, column 'PetalWidth': 'abc' is not a number.", error.Message);
    }

    [Fact]
    public void A_comma_decimal_is_not_a_number()
    {
        var error = ParseFails("a;y\n1,5;2\n", options: new CsvReadOptions { Separator = ';' });

        Assert.Equal("'1,5' is not a number.", error.Message[(error.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void NaN_and_infinite_features_are_rejected(string value)
    {
        var error = ParseFails($"a,y\n{value},1\n");

        Assert.Equal(2, error.Line);
        Assert.Equal("a", error.Column);
        Assert.Equal($"test.csv, line 2, column 'a': '{value}' is not a finite number; NaN and infinities are not allowed.", error.Message);
    }

    [Fact]
    public void A_value_beyond_float_range_is_rejected()
    {
        var error = ParseFails("a,y\n1e39,1\n");

        Assert.Contains("outside the range of a 32-bit float", error.Message);
    }

    [Fact]
    public void An_empty_feature_value_names_line_and_column()
    {
        var error = ParseFails("a,b,y\n1,,3\n");

        Assert.Equal(2, error.Line);
        Assert.Equal("b", error.Column);
        Assert.Equal("test.csv, line 2, column 'b': the value is empty; expected a number.", error.Message);
    }

    [Fact]
    public void An_empty_class_label_names_line_and_column()
    {
        var error = ParseFails("a,y\n1,cat\n2, \n", kind: LabelKind.Classification);

        Assert.Equal(3, error.Line);
        Assert.Equal("y", error.Column);
        Assert.Contains("the label is empty", error.Message);
    }

    [Fact]
    public void A_non_numeric_regression_target_names_line_and_column()
    {
        var error = ParseFails("a,y\n1,2\n3,high\n");

        Assert.Equal(3, error.Line);
        Assert.Equal("y", error.Column);
        Assert.Equal("high", error.Value);
    }

    [Fact]
    public void A_negative_weight_is_rejected()
    {
        var error = ParseFails("a,w,y\n1,-2,3\n", options: new CsvReadOptions { WeightColumn = "w" });

        Assert.Equal(2, error.Line);
        Assert.Equal("w", error.Column);
        Assert.Contains("negative", error.Message);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        var error = ParseFails("  \n\n");

        Assert.Equal(0, error.Line);
        Assert.Equal("test.csv: the file is empty; expected a header row.", error.Message);
    }

    [Fact]
    public void A_header_only_file_is_rejected()
    {
        var error = ParseFails("a,y\n\n");

        Assert.Equal("test.csv: the file has a header (line 1) but no data rows.", error.Message);
    }

    [Fact]
    public void An_unterminated_quote_names_the_line_where_the_record_starts()
    {
        var error = ParseFails("a,y\n1,2\n\"3,4\n5,6\n");

        Assert.Equal(3, error.Line);
        Assert.Equal("a", error.Column);
        Assert.Contains("not closed before the end of the file", error.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_rejected()
    {
        var error = ParseFails("a,y\n\"1\"x,2\n");

        Assert.Equal(2, error.Line);
        Assert.Equal("a", error.Column);
        Assert.Contains("unexpected character 'x' after a closing quote", error.Message);
    }

    [Fact]
    public void A_missing_file_throws_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => CsvLoader.Load(DataFile("no-such-file.csv"), "y", LabelKind.Regression));
    }

    [Fact]
    public void Contradictory_options_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => Parse("a,y,z\n1,2,3\n", kind: LabelKind.Classification,
            options: new CsvReadOptions { AdditionalLabelColumns = ["z"] }));
        Assert.Throws<ArgumentException>(() => Parse("a,y\n1,2\n", options: new CsvReadOptions { FeatureColumns = ["a", "y"] }));
        Assert.Throws<ArgumentException>(() => Parse("a,y\n1,2\n", options: new CsvReadOptions { WeightColumn = "y" }));
        Assert.Throws<ArgumentException>(() => Parse("a,y\n1,2\n", options: new CsvReadOptions { ClassNames = ["0"] }));
        Assert.Throws<ArgumentException>(() => Parse("a,y\n1,2\n", options: new CsvReadOptions { Separator = '"' }));
    }
}
