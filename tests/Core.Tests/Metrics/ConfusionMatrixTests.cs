using MLNetNN.Metrics;
using Xunit;

namespace MLNetNN.Tests.Metrics;

public class ConfusionMatrixTests
{
    [Fact]
    public void ToString_aligns_names_and_counts()
    {
        var matrix = new ConfusionMatrix(new double[,] { { 5, 1 }, { 0, 1234 } }, ["cat", "dog"]);

        Assert.Equal(
            """
            truth \ predicted   cat   dog
            cat                   5     1
            dog                   0  1234
            """.ReplaceLineEndings(), matrix.ToString());
    }

    [Fact]
    public void Weighted_counts_are_shown_with_decimals_and_default_names_are_indices()
    {
        var matrix = new ConfusionMatrix(new double[,] { { 1.5, 0 }, { 0.25, 2 } });

        Assert.Equal(["0", "1"], matrix.ClassNames);
        Assert.Contains("0.25", matrix.ToString());
        Assert.Contains("1.5", matrix.ToString());
    }

    [Fact]
    public void Counts_are_copied_and_validated()
    {
        var counts = new double[,] { { 1, 2 }, { 3, 4 } };
        var matrix = new ConfusionMatrix(counts);
        counts[0, 0] = 99;

        Assert.Equal(1, matrix.Counts[0, 0]);
        Assert.Equal(2, matrix.ClassCount);
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new double[2, 3]));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new double[,] { { -1 } }));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new double[,] { { 1 } }, ["a", "b"]));
    }
}
