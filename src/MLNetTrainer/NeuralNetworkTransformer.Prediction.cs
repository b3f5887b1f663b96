using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.Models;

namespace MLNetNN.MLNet;

/// <summary>
/// ML.NET's prediction-transformer contract, which its permutation feature importance reads:
/// <c>ml.BinaryClassification.PermutationFeatureImportance(transformer, data)</c> (and the multiclass and regression ones) take
/// an <see cref="ISingleFeaturePredictionTransformer{TModel}"/>, permute one slot of <see cref="FeatureColumnName"/> at a time
/// and score the result through <see cref="Transform"/>.
/// </summary>
/// <remarks>
/// The untyped overloads (<c>PermutationFeatureImportance(ITransformer model, …)</c>, binary's
/// <c>PermutationFeatureImportanceNonCalibrated</c>) look for ML.NET's internal, non-generic
/// <c>ISingleFeaturePredictionTransformer</c>, which no type outside ML.NET can implement, so they refuse this transformer
/// ("The model provided does not have a compatible predictor"); pass the network itself to the typed overloads.
/// </remarks>
public sealed partial class NeuralNetworkTransformer : ISingleFeaturePredictionTransformer<NeuralNetworkModel>
{
    /// <summary>The type of the feature column the network reads: a vector of <see cref="NeuralNetworkModel.FeatureCount"/> Singles.</summary>
    public DataViewType FeatureColumnType => new VectorDataViewType(NumberDataViewType.Single, Model.FeatureCount);
}
