namespace MLNetNN.Data;

/// <summary>
/// Column names computed from their index when asked for (f0, f1, … or pixel_{row}_{column}), so a data set of millions of
/// columns carries no list of millions of strings that nobody may ever read.
/// </summary>
internal sealed class IndexedNames(int count, Func<int, string> name) : IReadOnlyList<string>
{
    public int Count => count;

    public string this[int index] => (uint)index < (uint)count
        ? name(index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Name index outside 0..{count - 1}.");

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < count; i++) yield return name(i);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
