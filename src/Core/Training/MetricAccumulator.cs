namespace MLNetNN.Training;

/// <summary>
/// The task's metric gathered batch by batch during an epoch: weighted accuracy for classification, R² for regression
/// (from running sums of y, y² and squared errors per target, so nothing is kept per row).
/// </summary>
internal sealed class MetricAccumulator
{
    private readonly TaskKind _task;
    private readonly double[] _sumY, _sumY2, _sumSquaredError;
    private double _weight, _correct;

    public MetricAccumulator(TaskKind task, int labelWidth)
    {
        _task = task;
        int targets = task == TaskKind.Regression ? labelWidth : 0;
        _sumY = new double[targets];
        _sumY2 = new double[targets];
        _sumSquaredError = new double[targets];
    }

    public string Name => _task == TaskKind.Regression ? "r2" : "accuracy";

    public void Reset()
    {
        _weight = _correct = 0;
        Array.Clear(_sumY);
        Array.Clear(_sumY2);
        Array.Clear(_sumSquaredError);
    }

    public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, int rows, int width)
    {
        for (int i = 0; i < rows; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            _weight += w;
            switch (_task)
            {
                case TaskKind.BinaryClassification:
                    if ((outputs[i] >= 0.5f ? 1f : 0f) == labels[i]) _correct += w;
                    break;
                case TaskKind.MulticlassClassification:
                    if (Models.NeuralNetworkModel.ArgMax(outputs.Slice(i * width, width)) == (int)labels[i]) _correct += w;
                    break;
                default:
                    for (int j = 0; j < width; j++)
                    {
                        double y = labels[i * width + j], e = outputs[i * width + j] - y;
                        _sumY[j] += w * y;
                        _sumY2[j] += w * y * y;
                        _sumSquaredError[j] += w * e * e;
                    }
                    break;
            }
        }
    }

    /// <summary>Accuracy, or R² averaged over targets (1 − SSE/SST; a constant target scores 0 unless fitted exactly).</summary>
    public double Value
    {
        get
        {
            if (_weight <= 0) return double.NaN;
            if (_task != TaskKind.Regression) return _correct / _weight;
            double sum = 0;
            for (int j = 0; j < _sumY.Length; j++)
            {
                double total = _sumY2[j] - _sumY[j] * _sumY[j] / _weight;
                sum += total > 0 ? 1 - _sumSquaredError[j] / total : (_sumSquaredError[j] == 0 ? 1 : 0);
            }
            return sum / _sumY.Length;
        }
    }
}
