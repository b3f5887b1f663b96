using MLNetNN.PowerShell.Data;

namespace MLNetNN.PowerShell.Tests.Logic;

public class RowValuesTests
{
    [Theory]
    [InlineData("5.1", 5.1f)]
    [InlineData(" -0.25 ", -0.25f)]
    [InlineData("1e3", 1000f)]
    public void Text_numbers_are_read_with_a_decimal_point_whatever_the_culture(string text, float expected)
    {
        TestRows.InCulture("de-DE", () => Assert.Equal(expected, RowValues.ToFeature(text, 1, "x")));
    }

    [Fact]
    public void Typed_numbers_and_booleans_are_taken_as_they_are()
    {
        Assert.Equal(3f, RowValues.ToFeature(3, 1, "x"));
        Assert.Equal(2.5f, RowValues.ToFeature(2.5, 1, "x"));
        Assert.Equal(1.25f, RowValues.ToFeature(1.25m, 1, "x"));
        Assert.Equal(7f, RowValues.ToFeature(7L, 1, "x"));
        Assert.Equal(1f, RowValues.ToFeature(true, 1, "x"));
        Assert.Equal(0f, RowValues.ToFeature(false, 1, "x"));
    }

    [Theory]
    [InlineData("abc", "Row 4, column 'Width': 'abc' is not a number")]
    [InlineData("5,1", "Row 4, column 'Width': '5,1' is not a number")]
    [InlineData("", "Row 4, column 'Width': the value is empty")]
    [InlineData("NaN", "Row 4, column 'Width': 'NaN' is not a finite")]
    [InlineData("1e39", "Row 4, column 'Width': '1e39' is not a finite")]
    public void A_feature_that_is_not_a_usable_number_names_the_row_and_column(string text, string expected)
    {
        var e = Assert.Throws<RowFormatException>(() => RowValues.ToFeature(text, 4, "Width"));
        Assert.StartsWith(expected, e.Message);
        Assert.Equal(4, e.Row);
        Assert.Equal("Width", e.Column);
    }

    [Fact]
    public void A_missing_value_or_an_object_is_not_a_number()
    {
        Assert.Contains("empty", Assert.Throws<RowFormatException>(() => RowValues.ToFeature(null, 2, "x")).Message);
        Assert.Contains("type DateTime", Assert.Throws<RowFormatException>(() => RowValues.ToFeature(new DateTime(2020, 1, 1), 2, "x")).Message);
    }

    [Fact]
    public void Class_labels_of_any_type_become_invariant_text()
    {
        TestRows.InCulture("de-DE", () =>
        {
            Assert.Equal("1.5", RowValues.ToClassLabel(1.5, 1, "y"));
            Assert.Equal("3", RowValues.ToClassLabel(3, 1, "y"));
            Assert.Equal("True", RowValues.ToClassLabel(true, 1, "y"));
            Assert.Equal("setosa", RowValues.ToClassLabel(" setosa ", 1, "y"));
            Assert.Equal("Friday", RowValues.ToClassLabel(DayOfWeek.Friday, 1, "y"));
        });
    }

    [Fact]
    public void An_empty_class_label_names_the_row()
    {
        var e = Assert.Throws<RowFormatException>(() => RowValues.ToClassLabel("  ", 9, "Species"));
        Assert.StartsWith("Row 9, column 'Species': the label is empty", e.Message);
    }

    [Fact]
    public void Property_names_match_case_insensitively()
    {
        var row = RowValues.Index(TestRows.Row(("Width", 1)));
        Assert.True(row.ContainsKey("width"));
    }

    [Fact]
    public void A_ten_megabyte_value_is_cut_in_the_message_but_kept_whole_in_Value()
    {
        // As CSV errors do: a value pasted into a cell or read from a damaged file must not make a 10 MB error record.
        string huge = new('z', 10_000_000);
        foreach (object value in new object[] { huge, new Huge(huge), "1" + new string('0', 10_000_000) })
        {
            var e = Assert.Throws<RowFormatException>(() => RowValues.ToFeature(value, 4, "Width"));
            Assert.StartsWith("Row 4, column 'Width': ", e.Message);
            Assert.InRange(e.Message.Length, 50, 1000);
            Assert.Same(value, e.Value);
        }
        var builder = new RowDatasetBuilder("y", MLNetNN.Data.LabelKind.Classification, classNames: ["a", "b"]);
        var unknown = Assert.Throws<RowFormatException>(() => builder.Add(TestRows.Row(("x", 1), ("y", huge))));
        Assert.InRange(unknown.Message.Length, 50, 1000);
    }

    /// <summary>An object whose text is huge.</summary>
    private sealed class Huge(string text)
    {
        public override string ToString() => text;
    }
}
