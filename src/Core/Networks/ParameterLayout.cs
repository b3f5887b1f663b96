namespace MLNetNN.Networks;

/// <summary>
/// Where each layer's weights and biases sit in a network's flat parameter buffer. Optimisers and regularisers work on the
/// flat buffer; the layout tells them which parts are weights (regularised, decayed) and which are biases (left alone).
/// </summary>
public sealed class ParameterLayout
{
    internal ParameterLayout(int count, IReadOnlyList<(int Offset, int Length)> weightSegments)
    {
        Count = count;
        WeightSegments = weightSegments;
    }

    /// <summary>Total number of trainable parameters.</summary>
    public int Count { get; }

    /// <summary>The (offset, length) ranges that hold weight matrices; everything else is a bias.</summary>
    public IReadOnlyList<(int Offset, int Length)> WeightSegments { get; }
}
