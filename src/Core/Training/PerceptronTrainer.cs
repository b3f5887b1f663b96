using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Models;
using MLNetNN.Networks;

namespace MLNetNN.Training;

/// <summary>
/// Rosenblatt's perceptron: one step unit <c>ŷ = step(w·x + b)</c> trained example by example with the perceptron learning rule
/// <c>w ← w + η(y − ŷ)x</c>, <c>b ← b + η(y − ŷ)</c>. It converges when the two classes are linearly separable (an epoch with no
/// mistakes) and otherwise stops at the epoch limit. The rule is per-example by definition, so it does not use mini-batches.
/// </summary>
public sealed class PerceptronTrainer
{
    private readonly float _learningRate;
    private readonly int _epochs;
    private readonly int _seed;

    /// <summary>A perceptron trainer with step size <paramref name="learningRate"/>.</summary>
    public PerceptronTrainer(float learningRate = 1f, int epochs = 100, int seed = 0)
    {
        if (!(learningRate > 0f && float.IsFinite(learningRate))) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Epochs must be at least 1.");
        (_learningRate, _epochs, _seed) = (learningRate, epochs, seed);
    }

    /// <summary>Trains on a two-class data set (class index 1 is the positive class). Features are used as given.</summary>
    public TrainingResult Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ClassCount != 2) throw new ArgumentException($"The perceptron separates two classes; the data has {data.ClassCount}.", nameof(data));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var network = new NeuralNetwork(data.Columns, [new LayerSpec(1, ActivationKind.Step)]);
        Span<float> w = network.Weights(0);
        Span<float> b = network.Biases(0);
        var order = Enumerable.Range(0, data.Rows).ToArray();
        var random = new Random(_seed);
        var history = new List<EpochRecord>();
        var reason = StopReason.MaxEpochs;
        string message = $"Reached the epoch limit ({_epochs}) without separating the classes.";
        for (int epoch = 1; epoch <= _epochs; epoch++)
        {
            var start = clock.Elapsed;
            random.Shuffle(order);
            int mistakes = 0;
            foreach (int row in order)
            {
                ReadOnlySpan<float> x = data.Row(row);
                float z = b[0];
                for (int j = 0; j < x.Length; j++) z += w[j] * x[j];
                float error = data.Labels[row] - (z >= 0f ? 1f : 0f);
                if (error == 0f) continue;
                mistakes++;
                for (int j = 0; j < x.Length; j++) w[j] += _learningRate * error * x[j];
                b[0] += _learningRate * error;
            }
            double errorRate = (double)mistakes / data.Rows;
            history.Add(new EpochRecord(epoch, _epochs, errorRate, null, 1 - errorRate, null, "accuracy", _learningRate, clock.Elapsed - start, clock.Elapsed));
            if (mistakes == 0)
            {
                reason = StopReason.Converged;
                message = $"Converged at epoch {epoch}: every training example is on the right side of the line.";
                break;
            }
        }
        var options = new NeuralNetworkOptions
        {
            Task = TaskKind.BinaryClassification, HiddenLayers = [], HiddenActivation = ActivationKind.Step,
            LearningRate = _learningRate, Epochs = _epochs, Seed = _seed, Scaling = ScalingKind.None,
        };
        var model = new NeuralNetworkModel(network, options, data.ClassNames, data.FeatureNames, null, history);
        return new TrainingResult(model, reason, message, history.Count, _seed, clock.Elapsed);
    }
}
