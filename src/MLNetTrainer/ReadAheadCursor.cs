using System.Runtime.ExceptionServices;
using MLNetNN.Data;

namespace MLNetNN.MLNet;

/// <summary>
/// Runs another batch cursor on a thread of its own, up to <see cref="ReadAheadChunks.Count"/> batches ahead of training, and
/// hands its rows over in the same order, so training gets the same batches as from the cursor itself.
/// </summary>
/// <remarks>
/// Reading a data view is serial: while the training thread moved the view's cursor, converted and shuffled rows, the engine's
/// worker threads waited, so on two cores every row cost its reading time on top of its share of training. Read here, it runs
/// beside the training instead. The cursor under it is created, read and disposed one thread at a time (the reader thread
/// finishes before <see cref="Dispose"/> disposes it), as ML.NET's cursors require; an exception it throws (a failing view,
/// ML.NET's cancellation) reaches the caller of <see cref="Next"/> once the rows read before it are handed over.
/// </remarks>
internal sealed class ReadAheadCursor : IBatchCursor
{
    private readonly IBatchCursor _inner;
    private readonly ReadAheadChunks _chunkSource;
    private readonly Action<PublicationPoint>? _delays;
    private readonly object _gate = new();
    private Thread? _reader;
    private MiniBatch[] _chunks = [];
    // Guarded by _gate: chunks _first .. _first + _filled − 1 (round the ring) are filled and not yet handed over in full.
    private int _first, _filled;
    private bool _finished, _stopping;
    private ExceptionDispatchInfo? _failure;
    // The caller's alone: rows of chunk _first already copied out.
    private int _taken;

    /// <param name="inner">The cursor to read ahead; this cursor owns it and disposes it.</param>
    /// <param name="chunks">Where the pass's chunk buffers come from (kept by the source, so passes allocate none).</param>
    /// <param name="delays">Test-only: called at each <see cref="PublicationPoint"/> on the thread that reaches it.</param>
    public ReadAheadCursor(IBatchCursor inner, ReadAheadChunks chunks, Action<PublicationPoint>? delays = null)
    {
        _inner = inner;
        _chunkSource = chunks;
        _delays = delays;
    }

    /// <summary>The steps of the hand-over where the other thread may act in between: where a stress test injects its delays.</summary>
    internal enum PublicationPoint
    {
        /// <summary>The reader has chosen a free chunk and is about to fill it from the cursor under it.</summary>
        BeforeFill,

        /// <summary>The reader has filled a chunk (or found the pass over) and not yet published it.</summary>
        BeforePublish,

        /// <summary>The caller is about to look for the next filled chunk.</summary>
        BeforeTake,

        /// <summary>The caller has copied out all of a chunk and not yet given it back.</summary>
        BeforeRelease,

        /// <summary>The caller is about to tell the reader to stop (disposing the cursor).</summary>
        BeforeStop,
    }

    public bool Next(MiniBatch batch)
    {
        if (_reader is null) Start(batch.Capacity);
        int d = batch.FeatureCount, labelWidth = batch.LabelWidth, rows = 0;
        bool hasWeights = false;
        while (rows < batch.Capacity && Current() is { } chunk)
        {
            int n = Math.Min(batch.Capacity - rows, chunk.Rows - _taken);
            chunk.Features.AsSpan(_taken * d, n * d).CopyTo(batch.Features.AsSpan(rows * d));
            chunk.Labels.AsSpan(_taken * labelWidth, n * labelWidth).CopyTo(batch.Labels.AsSpan(rows * labelWidth));
            chunk.Weights.AsSpan(_taken, n).CopyTo(batch.Weights.AsSpan(rows));
            hasWeights = chunk.HasWeights;
            rows += n;
            _taken += n;
            if (_taken == chunk.Rows) Release();
        }
        if (rows == 0) return false;
        batch.Rows = rows;
        batch.HasWeights = hasWeights;
        return true;
    }

    private void Start(int capacity)
    {
        _chunks = _chunkSource.For(capacity);
        _reader = new Thread(Read) { IsBackground = true, Name = "MLNetNN data view reader" };
        _reader.Start();
    }

    /// <summary>The chunk the caller copies from, waiting for the reader; null when the pass is over; rethrows the reader's failure.</summary>
    private MiniBatch? Current()
    {
        _delays?.Invoke(PublicationPoint.BeforeTake);
        lock (_gate)
        {
            while (_filled == 0 && !_finished && _failure is null) Monitor.Wait(_gate);
            if (_filled > 0) return _chunks[_first];
            _failure?.Throw();
            return null;
        }
    }

    private void Release()
    {
        _delays?.Invoke(PublicationPoint.BeforeRelease);
        _taken = 0;
        lock (_gate)
        {
            _first = (_first + 1) % _chunks.Length;
            _filled--;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The reader thread: fills free chunks from the cursor under it until the pass ends, fails, or the caller stops it.</summary>
    private void Read()
    {
        try
        {
            while (true)
            {
                int slot;
                lock (_gate)
                {
                    while (_filled == _chunks.Length && !_stopping) Monitor.Wait(_gate);
                    if (_stopping) return;
                    // The caller only ever moves _first on and _filled down together, so this slot stays free while it is filled.
                    slot = (_first + _filled) % _chunks.Length;
                }
                _delays?.Invoke(PublicationPoint.BeforeFill);
                bool more = _inner.Next(_chunks[slot]);
                _delays?.Invoke(PublicationPoint.BeforePublish);
                lock (_gate)
                {
                    if (more) _filled++;
                    else _finished = true;
                    Monitor.PulseAll(_gate);
                }
                if (!more) return;
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                Monitor.PulseAll(_gate);
            }
        }
    }

    public void Dispose()
    {
        if (_reader is not null)
        {
            _delays?.Invoke(PublicationPoint.BeforeStop);
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
            // The reader finishes the chunk it is filling at most, and must be off the cursor under it before that is disposed.
            _reader.Join();
        }
        _inner.Dispose();
    }
}

/// <summary>The chunk buffers of a source's read-ahead passes, allocated once for a batch capacity and reused by every pass.</summary>
internal sealed class ReadAheadChunks(int featureCount, int labelWidth)
{
    /// <summary>Chunks a pass may hold: one being copied out, one being filled, two ready.</summary>
    public const int Count = 4;

    private MiniBatch[]? _chunks;

    /// <summary>The chunks for batches of <paramref name="capacity"/> rows (passes run one at a time, so they share them).</summary>
    public MiniBatch[] For(int capacity)
    {
        if (_chunks is null || _chunks[0].Capacity != capacity)
        {
            _chunks = new MiniBatch[Count];
            for (int i = 0; i < Count; i++) _chunks[i] = new MiniBatch(capacity, featureCount, labelWidth);
        }
        return _chunks;
    }
}
