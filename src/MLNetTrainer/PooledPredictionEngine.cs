using System.Collections.Concurrent;
using Microsoft.ML;

namespace MLNetNN.MLNet;

/// <summary>
/// Thread-safe single-row prediction over any fitted pipeline: a pool of ML.NET <see cref="PredictionEngine{TSrc, TDst}"/>s
/// (each is single-threaded), one rented per call, the pattern of Microsoft.Extensions.ML's <c>PredictionEnginePool</c>
/// without its dependency-injection setup. Engines over a <see cref="NeuralNetworkTransformer"/> share its model, whose
/// prediction is thread-safe, so the pool only holds small per-engine buffers.
/// </summary>
/// <typeparam name="TSrc">The input row class.</typeparam>
/// <typeparam name="TDst">The prediction class.</typeparam>
public sealed class PooledPredictionEngine<TSrc, TDst>
    where TSrc : class
    where TDst : class, new()
{
    private readonly Func<PredictionEngine<TSrc, TDst>> _create;
    private readonly ConcurrentBag<PredictionEngine<TSrc, TDst>> _engines = [];

    /// <summary>A pool over <paramref name="model"/>; engines are created on demand, at most one per concurrent caller.</summary>
    /// <param name="catalog">The model operations catalog (<c>ml.Model</c>).</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The pipeline's input schema, as <c>CreatePredictionEngine</c> takes it (null to infer it from <typeparamref name="TSrc"/>).</param>
    public PooledPredictionEngine(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        _create = inputSchema is null
            ? () => catalog.CreatePredictionEngine<TSrc, TDst>(model)
            : () => catalog.CreatePredictionEngine<TSrc, TDst>(model, inputSchema);
        // Building one engine now surfaces schema errors at construction rather than on the first request.
        _engines.Add(_create());
    }

    /// <summary>Predicts one row; safe to call from any number of threads at once.</summary>
    public TDst Predict(TSrc example)
    {
        if (!_engines.TryTake(out var engine)) engine = _create();
        try
        {
            return engine.Predict(example);
        }
        finally
        {
            _engines.Add(engine);
        }
    }
}
