using System.Collections.Specialized;
using MLNetNN.Models;
using MLNetNN.PowerShell.Data;

namespace MLNetNN.PowerShell.Output;

/// <summary>
/// Predicts one pipeline row at a time and says which properties to add to it, so predictions come out merged onto the
/// input objects (<c>Select-Object Species, PredictedLabel, Probability</c>). Features are found by name, so extra or
/// reordered columns in the rows do not matter.
/// </summary>
public sealed class RowPredictor
{
    /// <summary>The predicted class label (classification).</summary>
    public const string PredictedLabel = nameof(PredictedLabel);

    /// <summary>The predicted class's probability (classification).</summary>
    public const string Probability = nameof(Probability);

    /// <summary>Every class's probability, class label → probability, in class order (classification).</summary>
    public const string Probabilities = nameof(Probabilities);

    /// <summary>The predicted value: a number, or an array for several targets (regression).</summary>
    public const string PredictedValue = nameof(PredictedValue);

    private readonly NeuralNetworkModel _model;
    private readonly float[] _features;
    private int _rows;

    /// <summary>A predictor for <paramref name="model"/>; not thread-safe (it reuses one feature buffer and counts rows).</summary>
    public RowPredictor(NeuralNetworkModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _features = new float[model.FeatureCount];
    }

    /// <summary>
    /// Predicts the next row (rows are numbered from 1 in call order, for error messages) and returns the properties to add
    /// to it: <see cref="PredictedLabel"/>, <see cref="Probability"/> and <see cref="Probabilities"/> for a classifier, <see cref="PredictedValue"/> for regression.
    /// </summary>
    /// <exception cref="RowFormatException">The row lacks a feature or holds a value that is not a number.</exception>
    public IReadOnlyList<KeyValuePair<string, object?>> Predict(IEnumerable<KeyValuePair<string, object?>> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        int number = ++_rows;
        var values = RowValues.Index(row);
        var names = _model.FeatureNames;
        for (int j = 0; j < names.Count; j++)
        {
            if (!values.TryGetValue(names[j], out object? value))
                throw new RowFormatException(number, names[j], null,
                    $"the row has no column '{names[j]}'; the model reads {string.Join(", ", names.Select(n => $"'{n}'"))}.");
            _features[j] = RowValues.ToFeature(value, number, names[j]);
        }
        var prediction = _model.PredictRow(_features);
        if (!_model.IsClassifier)
        {
            object value = prediction.Outputs.Length == 1 ? (double)prediction.Outputs[0] : prediction.Outputs.Select(v => (double)v).ToArray();
            return [new(PredictedValue, value)];
        }
        // An ordered dictionary keeps class order and shows in PowerShell as a Name/Value table.
        var probabilities = new OrderedDictionary(StringComparer.Ordinal);
        for (int c = 0; c < prediction.Outputs.Length; c++) probabilities[_model.ClassNames![c]] = (double)prediction.Outputs[c];
        return [new(PredictedLabel, prediction.Label), new(Probability, (double)prediction.Probability), new(Probabilities, probabilities)];
    }
}
