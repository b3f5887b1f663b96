using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

public class DataSplitTests
{
    private static readonly Dataset Iris =
        CsvLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"), "Species", LabelKind.Classification);

    /// <summary>Rows whose single feature is the row index, so subsets reveal which rows they hold.</summary>
    private static Dataset Indexed(params int[] classOfRow) => new(
        Enumerable.Range(0, classOfRow.Length).Select(i => (float)i).ToArray(), classOfRow.Length, 1,
        classOfRow.Select(c => (float)c).ToArray(), classNames: Enumerable.Range(0, classOfRow.Max() + 1).Select(c => $"c{c}").ToArray());

    private static int[] ClassCounts(Dataset data) =>
        Enumerable.Range(0, data.ClassCount).Select(c => data.Labels.Count(y => y == c)).ToArray();

    [Fact]
    public void Stratified_split_keeps_iris_class_proportions()
    {
        var (train, test) = DataSplit.TrainTestSplit(Iris, 0.2, seed: 1, stratify: true);

        Assert.Equal([40, 40, 40], ClassCounts(train));
        Assert.Equal([10, 10, 10], ClassCounts(test));
        Assert.Equal(Iris.ClassNames, test.ClassNames);
    }

    [Fact]
    public void Split_is_a_partition_of_the_rows()
    {
        Dataset data = Indexed(Enumerable.Range(0, 37).Select(i => i % 3).ToArray());

        foreach (bool stratify in new[] { false, true })
        {
            var (train, test) = DataSplit.TrainTestSplit(data, 0.3, seed: 5, stratify);
            var all = train.Features.Concat(test.Features).Order().ToArray();
            Assert.Equal(data.Features, all);
        }
    }

    [Fact]
    public void Unstratified_test_size_rounds_up_like_scikit_learn()
    {
        var (train, test) = DataSplit.TrainTestSplit(Indexed(new int[10]), 0.25, seed: 0, stratify: false);

        Assert.Equal(3, test.Rows);
        Assert.Equal(7, train.Rows);
    }

    [Fact]
    public void Unstratified_test_size_is_not_inflated_by_binary_rounding()
    {
        var (_, test) = DataSplit.TrainTestSplit(Indexed(new int[100]), 0.07, seed: 0, stratify: false);

        Assert.Equal(7, test.Rows);
    }

    [Fact]
    public void A_stratified_split_of_single_row_classes_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => DataSplit.TrainTestSplit(Indexed(0, 1, 2), 0.5, seed: 0, stratify: true));

        Assert.Contains("every class here has one", error.Message);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        Dataset data = Indexed(Enumerable.Range(0, 50).Select(i => i % 2).ToArray());

        var a = DataSplit.TrainTestSplit(data, 0.3, seed: 42, stratify: true);
        var b = DataSplit.TrainTestSplit(data, 0.3, seed: 42, stratify: true);
        var c = DataSplit.TrainTestSplit(data, 0.3, seed: 43, stratify: true);

        Assert.Equal(a.Test.Features, b.Test.Features);
        Assert.Equal(a.Train.Features, b.Train.Features);
        Assert.NotEqual(a.Test.Features, c.Test.Features);
    }

    [Fact]
    public void Every_class_with_two_rows_reaches_both_sides_and_a_single_row_stays_in_training()
    {
        // Class 1 has 2 rows and would get round(0.1 × 2) = 0 test rows; class 2 has one row.
        Dataset data = Indexed([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2]);

        var (train, test) = DataSplit.TrainTestSplit(data, 0.1, seed: 3, stratify: true);

        Assert.Equal([9, 1, 1], ClassCounts(train));
        Assert.Equal([1, 1, 0], ClassCounts(test));
    }

    [Fact]
    public void Split_arguments_are_validated()
    {
        Dataset data = Indexed(0, 1, 0, 1);
        Dataset regression = new([1f, 2f, 3f], 3, 1, [1f, 2f, 3f]);

        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTestSplit(data, 0, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTestSplit(data, 1, 1, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainTestSplit(data, double.NaN, 1, false));
        Assert.Throws<ArgumentException>(() => DataSplit.TrainTestSplit(Indexed(0), 0.5, 1, false));
        var error = Assert.Throws<ArgumentException>(() => DataSplit.TrainTestSplit(regression, 0.5, 1, stratify: true));
        Assert.Contains("Stratification needs a classification data set", error.Message);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void KFold_tests_every_row_exactly_once_and_trains_on_the_rest(bool stratify, bool shuffle)
    {
        var folds = DataSplit.KFold(Iris, 7, seed: 11, stratify, shuffle);

        Assert.Equal(7, folds.Count);
        var tested = folds.SelectMany(f => f.Test).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, Iris.Rows), tested);
        foreach (var (train, test) in folds)
        {
            Assert.Equal(Iris.Rows, train.Length + test.Length);
            Assert.Empty(train.Intersect(test));
            Assert.InRange(test.Length, 150 / 7, 150 / 7 + 1);
        }
    }

    [Fact]
    public void Stratified_KFold_keeps_class_proportions_in_every_fold()
    {
        // 30 rows of class 0, 10 of class 1, 5 of class 2, in file order.
        int[] classes = [.. Enumerable.Repeat(0, 30), .. Enumerable.Repeat(1, 10), .. Enumerable.Repeat(2, 5)];
        Dataset data = Indexed(classes);

        foreach (var (_, test) in DataSplit.KFold(data, 5, seed: 2, stratify: true))
        {
            Assert.Equal([6, 2, 1], Enumerable.Range(0, 3).Select(c => test.Count(i => classes[i] == c)));
        }
    }

    [Fact]
    public void Unshuffled_KFold_uses_contiguous_blocks_with_the_larger_folds_first()
    {
        var folds = DataSplit.KFold(Indexed(new int[7]), 3, seed: 0, stratify: false, shuffle: false);

        Assert.Equal([0, 1, 2], folds[0].Test);
        Assert.Equal([3, 4], folds[1].Test);
        Assert.Equal([5, 6], folds[2].Test);
        Assert.Equal([0, 1, 2, 5, 6], folds[1].Train);
    }

    [Fact]
    public void KFold_is_deterministic_for_a_seed()
    {
        var a = DataSplit.KFold(Iris, 5, seed: 9, stratify: true);
        var b = DataSplit.KFold(Iris, 5, seed: 9, stratify: true);
        var c = DataSplit.KFold(Iris, 5, seed: 10, stratify: true);

        Assert.Equal(a.Select(f => f.Test), b.Select(f => f.Test));
        Assert.NotEqual(a.Select(f => f.Test), c.Select(f => f.Test));
    }

    [Fact]
    public void A_class_smaller_than_the_fold_count_is_named_in_the_error()
    {
        Dataset data = Indexed([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);

        var error = Assert.Throws<ArgumentException>(() => DataSplit.KFold(data, 3, seed: 0, stratify: true));

        Assert.StartsWith("Class 'c2' has 2 rows, fewer than the 3 folds", error.Message);
    }

    [Fact]
    public void Fold_counts_outside_2_to_rows_are_rejected()
    {
        Dataset data = Indexed(0, 1, 0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.KFold(data, 1, 0, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.KFold(data, 5, 0, false));
    }
}
