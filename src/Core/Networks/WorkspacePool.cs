namespace MLNetNN.Networks;

/// <summary>
/// A small lock-free pool of workspaces of one capacity, so prediction from many threads at once shares one model safely
/// and, once warm, allocates nothing (each thread rents its own buffers; the parameters are only read).
/// </summary>
internal sealed class WorkspacePool
{
    private readonly NeuralNetwork _network;
    private readonly Workspace?[] _slots;

    public WorkspacePool(NeuralNetwork network, int capacity)
    {
        _network = network;
        Capacity = capacity;
        _slots = new Workspace?[Math.Max(4, Environment.ProcessorCount * 2)];
    }

    public int Capacity { get; }

    public Workspace Rent()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            var ws = Interlocked.Exchange(ref _slots[i], null);
            if (ws is not null) return ws;
        }
        return new Workspace(_network, Capacity);
    }

    public void Return(Workspace workspace)
    {
        for (int i = 0; i < _slots.Length; i++)
            if (Interlocked.CompareExchange(ref _slots[i], workspace, null) is null) return;
        // Pool full: let the garbage collector have it.
    }
}
