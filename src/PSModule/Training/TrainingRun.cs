using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using MLNetNN.Data;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Training;

/// <summary>
/// Trains on a worker thread and hands the epoch records to the thread that started it.
/// </summary>
/// <remarks>
/// PowerShell lets a cmdlet write (progress, verbose, output) only from its pipeline thread, and the engine reports progress
/// from inside <see cref="NeuralNetworkTrainer.Fit(Dataset, Dataset?, IProgress{EpochRecord}?, System.Threading.CancellationToken)"/>.
/// So the engine runs here on a worker, its reports go into a queue, and the cmdlet drains the queue with <see cref="Updates"/>
/// on its own thread. <see cref="Cancel"/> may be called from any thread (PowerShell calls StopProcessing on another one);
/// the engine then stops at the next mini-batch and still returns the best model so far.
/// </remarks>
public sealed class TrainingRun : IDisposable
{
    private readonly BlockingCollection<EpochRecord> _epochs = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task<TrainingResult> _training;

    private TrainingRun(NeuralNetworkTrainer trainer, Dataset data)
    {
        var progress = new QueueProgress(_epochs);
        _training = Task.Run(() =>
        {
            try { return trainer.Fit(data, progress: progress, cancellationToken: _cancel.Token); }
            finally { _epochs.CompleteAdding(); }
        });
    }

    /// <summary>Starts training <paramref name="data"/> with <paramref name="trainer"/> on a worker thread.</summary>
    public static TrainingRun Start(NeuralNetworkTrainer trainer, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        return new TrainingRun(trainer, data);
    }

    /// <summary>Whether <see cref="Cancel"/> has been called.</summary>
    public bool IsCancellationRequested => _cancel.IsCancellationRequested;

    /// <summary>Asks the engine to stop after the current mini-batch. Safe from any thread, and more than once.</summary>
    public void Cancel()
    {
        try { _cancel.Cancel(); }
        catch (ObjectDisposedException) { }   // the run ended and was disposed; nothing left to stop
    }

    /// <summary>
    /// The epoch records as they arrive, in groups: each group is everything that arrived since the last, so a slow consumer
    /// (a console redrawing its progress bar) can report only the newest. Blocks between groups; ends when training ends.
    /// </summary>
    public IEnumerable<IReadOnlyList<EpochRecord>> Updates()
    {
        while (_epochs.TryTake(out var first, Timeout.Infinite))
        {
            var group = new List<EpochRecord> { first };
            while (_epochs.TryTake(out var next)) group.Add(next);
            yield return group;
        }
    }

    /// <summary>Waits for the run to end and returns its result, rethrowing the engine's exception as it was thrown.</summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; its result holds the last good model.</exception>
    /// <exception cref="ArgumentException">The data does not suit the options (e.g. one class for a classifier).</exception>
    public TrainingResult Result()
    {
        try
        {
            return _training.GetAwaiter().GetResult();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            throw;
        }
    }

    /// <summary>Cancels a run still going and waits for it, so no worker outlives the cmdlet.</summary>
    public void Dispose()
    {
        Cancel();
        try { _training.Wait(); }
        catch (AggregateException) { }   // already reported through Result, or not wanted after a stop
        _cancel.Dispose();
        _epochs.Dispose();
    }

    /// <summary>Progress that queues each record on the reporting thread (unlike <see cref="Progress{T}"/>, which needs a synchronisation context).</summary>
    private sealed class QueueProgress(BlockingCollection<EpochRecord> queue) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => queue.Add(value);
    }
}
