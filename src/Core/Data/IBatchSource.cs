namespace MLNetNN.Data;

/// <summary>
/// Training data as the trainer sees it: passes of mini-batches, reshuffled each pass when asked. An in-memory data set
/// (<see cref="DatasetBatchSource"/>) and a stream that never holds all rows (an ML.NET cursor, a file) look the same from here.
/// </summary>
public interface IBatchSource
{
    /// <summary>Features per row.</summary>
    int FeatureCount { get; }

    /// <summary>Label values per row: 1 for a class index, the number of targets for regression.</summary>
    int LabelWidth { get; }

    /// <summary>
    /// Starts a pass over all rows. With a <paramref name="shuffleSeed"/> the rows come in an order drawn from that seed
    /// (the same seed gives the same order); without one, in stored order.
    /// </summary>
    IBatchCursor Open(int? shuffleSeed);
}

/// <summary>One pass over an <see cref="IBatchSource"/>.</summary>
public interface IBatchCursor : IDisposable
{
    /// <summary>
    /// Fills <paramref name="batch"/> with up to <see cref="MiniBatch.Capacity"/> rows and sets <see cref="MiniBatch.Rows"/> to
    /// how many (always, even when it is the same as before); false when the pass is over.
    /// </summary>
    bool Next(MiniBatch batch);
}
