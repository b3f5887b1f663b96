namespace MLNetNN.Numerics;

/// <summary>Splits a range of output rows over threads. Only outputs are split, never a reduction, so results do not depend on the thread count.</summary>
internal static class RowPartition
{
    /// <summary>Below this many multiply-adds per call, threading costs more than it saves.</summary>
    private const long MinimumWorkPerThread = 1 << 16;

    public static void Run(int rows, long workPerRow, int threads, Action<int, int> body)
    {
        int useful = (int)Math.Min(threads, Math.Max(1, rows * workPerRow / MinimumWorkPerThread));
        useful = Math.Min(useful, rows);
        if (useful <= 1)
        {
            body(0, rows);
            return;
        }
        Parallel.For(0, useful, new ParallelOptions { MaxDegreeOfParallelism = useful }, t =>
        {
            int start = (int)((long)rows * t / useful);
            int end = (int)((long)rows * (t + 1) / useful);
            body(start, end);
        });
    }
}
