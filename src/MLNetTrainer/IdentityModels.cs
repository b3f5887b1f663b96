using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNetNN.MLNet;

/// <summary>
/// ML.NET scorers whose score is their one-slot feature vector's value, exactly: linear models with weight 1 and bias 0.
/// </summary>
/// <remarks>
/// ML.NET's OnnxTransformer gives every output as a vector (it cannot read a scalar output), while ML.NET's binary and regression
/// columns, and the class index a multiclass label is looked up by, are scalars. No public transform turns a one-slot vector into
/// a scalar, but a scorer does (features → Score), and ML.NET saves and loads its own scorers. Their model parameters have no
/// public constructor, so they are trained: an online linear trainer from zero weights, without averaging, regularisation or
/// shuffling, at learning rate 1, on two rows chosen so that its two updates land exactly on weight 1 and bias 0 (halves and
/// ones, exact in float). The result is checked, so a trainer that ever updated differently is refused, not used.
/// Scoring is then Bias + Weight·x = 0 + 1·x = x, exact.
/// </remarks>
internal static class IdentityModels
{
    private const string Label = "Label";

    /// <summary>
    /// A binary scorer (Score = x, PredictedLabel = x &gt; 0). The perceptron's hinge loss updates on both rows:
    /// (0.5, true) from 0 gives w 0.5, b 1; (−0.5, false) scores 0.75, and the update −1·(−0.5) brings w to 1 and b to 0.
    /// </summary>
    public static ITransformer Binary(MLContext ml, string featureColumn)
    {
        var rows = new[] { new Row { Features = [0.5f], Label = true }, new Row { Features = [-0.5f], Label = false } };
        var trainer = ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options
        {
            FeatureColumnName = featureColumn, LabelColumnName = Label, LearningRate = 1, DecreaseLearningRate = false,
            L2Regularization = 0, Averaged = false, NumberOfIterations = 1, Shuffle = false,
        });
        var scorer = trainer.Fit(Data(ml, rows, featureColumn, typeof(bool)));
        return Checked(scorer, scorer.Model.Weights, scorer.Model.Bias);
    }

    /// <summary>
    /// A regression scorer (Score = x). Squared loss, derivative 2(s − y): (0.5, 0.5) from 0 gives w 0.5, b 1;
    /// (−0.5, 0.25) scores 0.75, and the update −2·0.5 = −1 brings w to 1 and b to 0.
    /// </summary>
    public static ITransformer Regression(MLContext ml, string featureColumn)
    {
        var rows = new[] { new Row { Features = [0.5f], Target = 0.5f }, new Row { Features = [-0.5f], Target = 0.25f } };
        var trainer = ml.Regression.Trainers.OnlineGradientDescent(new OnlineGradientDescentTrainer.Options
        {
            FeatureColumnName = featureColumn, LabelColumnName = Label, LearningRate = 1, DecreaseLearningRate = false,
            L2Regularization = 0, Averaged = false, NumberOfIterations = 1, Shuffle = false,
        });
        var scorer = trainer.Fit(Data(ml, rows, featureColumn, typeof(float)));
        return Checked(scorer, scorer.Model.Weights, scorer.Model.Bias);
    }

    private static ITransformer Checked(ITransformer scorer, IReadOnlyList<float> weights, float bias) =>
        weights is [1f] && bias == 0f ? scorer
            : throw new NotSupportedException($"ML.NET's online linear trainer did not end at weight 1 and bias 0 (weights {string.Join(", ", weights)}, bias {bias}) as it does in the Microsoft.ML versions MLNetNN is tested with.");

    /// <summary>The rows as a view: the one-slot feature column named as the scorer will read it, and the label of the given type.</summary>
    private static IDataView Data(MLContext ml, Row[] rows, string featureColumn, Type label)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        var features = definition.Single(c => c.MemberName == nameof(Row.Features));
        features.ColumnName = featureColumn;
        features.ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1);
        // The label of the other task is left out.
        definition.RemoveAll(c => c.MemberName == (label == typeof(bool) ? nameof(Row.Target) : nameof(Row.Label)));
        definition.Single(c => c.MemberName is nameof(Row.Label) or nameof(Row.Target)).ColumnName = Label;
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Target { get; set; }
    }
}
