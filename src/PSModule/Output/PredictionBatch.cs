using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using MLNetNN.Models;

namespace MLNetNN.PowerShell.Output;

/// <summary>
/// Gathers rows' features and predicts them together through the engine's batch path, which costs far less per row than
/// one call per row, then gives each row's prediction as properties to add to it. The properties are flat (one value each)
/// so predictions export to CSV as they read: a classifier adds <see cref="PredictedLabel"/>, <see cref="Probability"/> and
/// one <c>Probability_&lt;class&gt;</c> per class; a regression model adds <see cref="PredictedValue"/> (or
/// <c>PredictedValue_1</c>… for several targets). Not thread-safe: it reuses its buffers from batch to batch.
/// </summary>
public sealed class PredictionBatch
{
    /// <summary>The predicted class label (classification).</summary>
    public const string PredictedLabel = nameof(PredictedLabel);

    /// <summary>The predicted class's probability (classification); <c>Probability_&lt;class&gt;</c> holds each class's.</summary>
    public const string Probability = nameof(Probability);

    /// <summary>The predicted value (regression); <c>PredictedValue_&lt;n&gt;</c> for several targets.</summary>
    public const string PredictedValue = nameof(PredictedValue);

    private readonly NeuralNetworkModel _model;
    private readonly float[] _features;
    private readonly float[] _outputs;
    private readonly int[] _predicted;
    private readonly int _featureCount, _outputCount;

    /// <summary>A batch of up to <paramref name="capacity"/> rows for <paramref name="model"/>.</summary>
    public PredictionBatch(NeuralNetworkModel model, int capacity)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _model = model;
        _featureCount = model.FeatureCount;
        _outputCount = model.OutputCount;
        Capacity = capacity;
        _features = new float[capacity * _featureCount];
        _outputs = new float[capacity * _outputCount];
        _predicted = new int[capacity];
        PropertyNames = NamesFor(model);
    }

    /// <summary>The names of the properties each prediction adds, in the order <see cref="Value"/> numbers them.</summary>
    public IReadOnlyList<string> PropertyNames { get; }

    /// <summary>Rows the batch holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Rows added since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the batch is full and should be predicted.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>
    /// The feature slots of the next row, in <see cref="NeuralNetworkModel.FeatureNames"/> order, to fill before
    /// <see cref="Commit"/>; a row that turns out bad is dropped by not committing it.
    /// </summary>
    public Span<float> NextRow()
    {
        if (IsFull) throw new InvalidOperationException("The batch is full; predict and clear it first.");
        return _features.AsSpan(Count * _featureCount, _featureCount);
    }

    /// <summary>Keeps the row filled through <see cref="NextRow"/>.</summary>
    public void Commit()
    {
        if (IsFull) throw new InvalidOperationException("The batch is full; predict and clear it first.");
        Count++;
    }

    /// <summary>Predicts the rows added so far.</summary>
    public void Predict()
    {
        if (Count == 0) return;
        _model.PredictBatch(_features.AsSpan(0, Count * _featureCount), _outputs.AsSpan(0, Count * _outputCount));
        if (!_model.IsClassifier) return;
        // The first of equal maxima, as the engine picks; once per row rather than once per property asked for.
        for (int row = 0; row < Count; row++) _predicted[row] = TensorPrimitives.IndexOfMax(_outputs.AsSpan(row * _outputCount, _outputCount));
    }

    /// <summary>Empties the batch for the next rows.</summary>
    public void Clear() => Count = 0;

    /// <summary>Property <paramref name="property"/> (an index into <see cref="PropertyNames"/>) of row <paramref name="row"/>'s prediction.</summary>
    public object Value(int row, int property)
    {
        if ((uint)row >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(row), row, $"The batch holds {Count} rows.");
        var outputs = _outputs.AsSpan(row * _outputCount, _outputCount);
        if (!_model.IsClassifier) return ToDouble(outputs[property]);
        return property switch
        {
            0 => _model.ClassNames![_predicted[row]],
            1 => ToDouble(outputs[_predicted[row]]),
            _ => ToDouble(outputs[property - 2]),
        };
    }

    /// <summary>
    /// A float as the double it reads as: the shortest decimal that round-trips the float, so 0.9994087f becomes
    /// 0.9994087 rather than 0.9994087219238281 (the float's exact binary value, noise to a reader and in a CSV). Casting
    /// the result back to float gives the same float, so nothing the model computed is lost. The text stays on the stack: this
    /// runs for every value of every row.
    /// </summary>
    public static double ToDouble(float value)
    {
        Span<char> text = stackalloc char[32];   // the longest shortest round-trip float, "-1.17549435E-38", has 15
        if (!value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture)) throw new UnreachableException();
        return double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static string[] NamesFor(NeuralNetworkModel model)
    {
        if (!model.IsClassifier)
        {
            return model.OutputCount == 1
                ? [PredictedValue]
                : Enumerable.Range(1, model.OutputCount).Select(i => $"{PredictedValue}_{i}").ToArray();
        }
        return [PredictedLabel, Probability, .. model.ClassNames!.Select(c => $"{Probability}_{c}")];
    }
}
