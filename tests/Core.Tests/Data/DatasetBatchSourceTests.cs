using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

public class DatasetBatchSourceTests
{
    private static Dataset Numbered(int rows, int columns)
    {
        // Row r holds r·10 + column, its label r % 3 and its weight r + 1, so every value says where it came from.
        var features = new float[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < columns; j++) features[r * columns + j] = r * 10 + j;
        float[] labels = Enumerable.Range(0, rows).Select(r => (float)(r % 3)).ToArray();
        float[] weights = Enumerable.Range(0, rows).Select(r => r + 1f).ToArray();
        return new Dataset(features, rows, columns, labels, 1, weights, null, ["a", "b", "c"]);
    }

    private static List<int[]> Pass(DatasetBatchSource source, MiniBatch batch, int seed, Action<MiniBatch>? afterNext = null)
    {
        var batches = new List<int[]>();
        using var cursor = source.Open(seed);
        while (cursor.Next(batch))
        {
            afterNext?.Invoke(batch);
            // Row identities from the features: row r starts with r·10.
            batches.Add(Enumerable.Range(0, batch.Rows).Select(i => (int)batch.Features[i * batch.FeatureCount] / 10).ToArray());
            for (int i = 0; i < batch.Rows; i++)
            {
                int row = batches[^1][i];
                for (int j = 0; j < batch.FeatureCount; j++) Assert.Equal(row * 10 + j, batch.Features[i * batch.FeatureCount + j]);
                Assert.Equal(row % 3, batch.Labels[i]);
                Assert.Equal(row + 1f, batch.Weights[i]);
            }
            Assert.True(batch.HasWeights);
        }
        return batches;
    }

    [Fact]
    public void A_shuffled_pass_hands_out_every_row_once_with_its_label_and_weight()
    {
        var source = new DatasetBatchSource(Numbered(23, 4));
        var batches = Pass(source, new MiniBatch(5, 4, 1), seed: 3);
        Assert.Equal([5, 5, 5, 5, 3], batches.Select(b => b.Length));
        int[] order = batches.SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 23), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 23), order);
        Assert.Equal(order, Pass(source, new MiniBatch(5, 4, 1), seed: 3).SelectMany(b => b));
    }

    [Fact]
    public void Rows_named_in_place_are_the_rows_a_copying_pass_gives()
    {
        var data = Numbered(23, 4);
        var source = new DatasetBatchSource(data);
        var copied = Pass(source, new MiniBatch(5, 4, 1), seed: 8);
        var named = new List<int[]>();
        var referencing = new MiniBatch(new float[5 * 4], 5, 4, 1) { AllowsRowReferences = true };
        var gathered = Pass(source, referencing, seed: 8, afterNext: batch =>
        {
            // The features are left in the data set: the batch names its rows (the trainer's forward pass copies them).
            Assert.Same(data.Features, batch.Source);
            named.Add(batch.SourceRows.AsSpan(0, batch.Rows).ToArray());
            for (int r = 0; r < batch.Rows; r++) data.Row(batch.SourceRows[r]).CopyTo(batch.Features.AsSpan(r * 4, 4));
            batch.SourceRowsCopied();
            Assert.Null(batch.Source);
        });
        Assert.Equal(copied, gathered);
        Assert.Equal(copied, named);
    }

    [Fact]
    public void A_batch_filled_by_another_cursor_forgets_the_rows_it_named()
    {
        var batch = new MiniBatch(new float[5 * 4], 5, 4, 1) { AllowsRowReferences = true };
        using (var cursor = new DatasetBatchSource(Numbered(7, 4)).Open(null)) Assert.True(cursor.Next(batch));
        Assert.NotNull(batch.Source);
        // A streaming cursor writes features and then sets Rows, as every cursor must.
        batch.Features.AsSpan(0, 4).Fill(1f);
        batch.Rows = 1;
        Assert.Null(batch.Source);
    }
}
