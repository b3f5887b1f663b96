namespace MLNetNN.MLNet.Bench;

/// <summary>
/// The benchmark's rows, generated once and held in memory: features of every scale and offset (so standardisation is needed and
/// done), a binary label from a noisy linear rule, rows in random order (as a stored data set usually is).
/// </summary>
sealed class SyntheticRows
{
    public SyntheticRows(int rows, int features, int seed)
    {
        Rows = rows;
        Columns = features;
        Features = new float[checked(rows * features)];
        Labels = new float[rows];
        var random = new Random(seed);
        var offset = new float[features];
        var scale = new float[features];
        var rule = new float[features];
        for (int j = 0; j < features; j++)
        {
            offset[j] = random.NextSingle() * 20 - 10;
            scale[j] = 0.1f + random.NextSingle() * 10;
            rule[j] = random.NextSingle() * 2 - 1;
        }
        for (int i = 0; i < rows; i++)
        {
            var row = Features.AsSpan(i * features, features);
            float score = 0;
            for (int j = 0; j < features; j++)
            {
                float z = random.NextSingle() * 2 - 1;
                row[j] = offset[j] + scale[j] * z;
                score += rule[j] * z;
            }
            Labels[i] = score + 0.3f * (random.NextSingle() * 2 - 1) > 0 ? 1 : 0;
        }
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Row-major, rows × columns.</summary>
    public float[] Features { get; }

    /// <summary>0 or 1 per row.</summary>
    public float[] Labels { get; }
}
