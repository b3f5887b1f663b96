using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.Training;

namespace MLNetNN.Lecture;

/// <summary>
/// Example 7: Fashion-MNIST with the lecture's small convolutional network: two blocks of a 3×3 convolution (32, then 64 filters,
/// ReLU) and 2×2 max pooling, then a dense layer of 128 ReLU units, dropout of half of them in training, and the softmax output;
/// Adam, batches of 32. The 784-100-10 MLP of example 5 reaches about 88.7 % on the test images; this network passes 91 %.
/// </summary>
public static class FashionMnistCnn
{
    /// <summary>The hidden layers in the text form (the task adds the 10-unit softmax output).</summary>
    public const string Layers = "conv32x3,pool2,conv64x3,pool2,flatten,dense128,dropout0.5";

    /// <summary>Trains and evaluates; <paramref name="trainRows"/> and <paramref name="testRows"/> take the first rows only (for quick runs).</summary>
    /// <param name="files">The data files (see <see cref="FashionMnist.Locate"/>).</param>
    /// <param name="epochs">Passes over the training images.</param>
    /// <param name="trainRows">Training images to use; null for all 60,000.</param>
    /// <param name="testRows">Test images to use; null for all 10,000.</param>
    /// <param name="seed">Seed of the initial weights, the shuffling and the dropout masks.</param>
    /// <param name="progress">Receives every epoch's figures as it ends.</param>
    public static FashionMnistResult Run(FashionMnistFiles files, int epochs = 12, int? trainRows = null, int? testRows = null, int seed = 1,
        IProgress<EpochRecord>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (train, test) = FashionMnist.Load(files, trainRows, testRows);
        var run = Trainers.MulticlassClassification(new NeuralNetworkOptions
        {
            // The images' rows are 28 × 28 pixels of one channel, stored row by row: the layout the convolutions read.
            Layers = LayerText.Parse(Layers), InputShape = LayerShape.Image(28, 28, 1),
            Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, BatchSize = 32, Epochs = epochs, Seed = seed,
            // Pixels are already in [0, 1]; every epoch runs and the final weights are kept, so the curves show what training did.
            Scaling = ScalingKind.None, Convergence = ConvergenceCriterion.None, RestoreBestWeights = false,
        }).Fit(train, test, progress);
        var metrics = run.Model.EvaluateClassification(test);
        return new FashionMnistResult(train.Rows, test.Rows, $"{Layers},dense10:softmax on 28x28x1 images, Adam, batch 32 (train accuracy: the running figure, with dropout)",
            run, metrics,
            [
                FashionMnist.Accuracy(run, "Fashion-MNIST, convolutional network", "fashion-cnn-accuracy.svg"),
                FashionMnist.Confusion(metrics, "fashion-cnn-confusion.svg"),
                FashionMnist.EpochTimes(run, "fashion-cnn-epoch-time.svg"),
            ]);
    }
}
