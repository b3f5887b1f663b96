using MLNetNN.Numerics;

namespace MLNetNN.Tests.Numerics;

public class ColumnSumsTests
{
    [Fact]
    public void Every_width_sums_its_columns_rows_in_order()
    {
        var random = new Random(11);
        // Widths below, at and past one, four and eight registers of columns.
        foreach (int width in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 70, 100 })
        foreach (int rows in new[] { 0, 1, 2, 5, 37 })
        {
            var g = new float[rows * width];
            for (int i = 0; i < g.Length; i++) g[i] = (float)(random.NextDouble() * 2 - 1);
            var sums = new float[width + 1];
            sums.AsSpan().Fill(9);
            ColumnSums.Of(g, rows, width, sums);
            for (int j = 0; j < width; j++)
            {
                float expected = 0f;
                for (int r = 0; r < rows; r++) expected += g[r * width + j];
                Assert.True(expected == sums[j], $"width {width}, {rows} rows, column {j}: {sums[j]} instead of {expected}");
            }
            Assert.Equal(9f, sums[width]);
        }
    }
}
