using MLNetNN.Activations;
using MLNetNN.Data;
using MLNetNN.Optimizers;
using MLNetNN.Training;
using Xunit;

namespace MLNetNN.Tests.Training;

/// <summary>
/// Regression targets are standardised for training by default and mapped back on prediction: a target in the hundreds trains
/// as well as one near 1, and predictions, history and metrics are in the target's own units.
/// </summary>
public class TargetScalingTests
{
    private static Dataset Friedman2() => CsvLoader.Load(TestData.PathOf("friedman2.csv"), "Target", LabelKind.Regression);

    [Fact]
    public void Friedman2_with_default_options_reaches_a_held_out_r_squared_above_0_95()
    {
        // Mean 473, standard deviation 382. Measured on this split: 0.992 in 39 epochs with the target standardised; 0.895 after all
        // 200 epochs on the raw target (the engine before target scaling), whose errors in the hundreds meet unit-sized weights.
        var (train, test) = DataSplit.TrainTestSplit(Friedman2(), 0.25, seed: 1, stratify: false);
        var model = Trainers.Regression(new NeuralNetworkOptions { Seed = 1 }).Fit(train).Model;
        double r2 = model.EvaluateRegression(test).R2;
        Assert.True(r2 >= 0.95, $"held-out R² {r2:F3}");
        Assert.Equal(ScalerKind.Standardization, model.TargetScaler!.Kind);
    }

    [Fact]
    public void Lbfgs_scales_the_target_too_and_reports_its_losses_in_the_targets_units()
    {
        // L-BFGS reads the rows in its own full-batch passes: trained on the raw target but mapped back through the scaler, its
        // predictions would be off by the target's spread.
        var (train, test) = DataSplit.TrainTestSplit(Friedman2(), 0.25, seed: 1, stratify: false);
        var model = Trainers.Regression(new NeuralNetworkOptions { Optimizer = OptimizerKind.Lbfgs, Seed = 1 }).Fit(train).Model;
        double r2 = model.EvaluateRegression(test).R2;
        Assert.True(r2 >= 0.95, $"held-out R² {r2:F3}");
        // The history's losses are mean squared errors in the target's units, so the last one is the model's training MSE.
        Assert.Equal(model.EvaluateRegression(train).Mse, model.History[^1].TrainLoss, 0.02 * model.History[^1].TrainLoss);
    }

    [Fact]
    public void An_affine_change_of_the_target_changes_predictions_and_losses_in_its_units_only()
    {
        // y' = 1000·y + 500 standardises to the same values as y, so the network is the same (to float rounding): predictions
        // move by the same map, losses by its square, R² not at all.
        var sine = TestData.NoisySine(200, 0.1, 3);
        var shifted = new Dataset(sine.Features, sine.Rows, 1, sine.Labels.Select(y => 1000f * y + 500f).ToArray());
        var options = new NeuralNetworkOptions { HiddenLayers = [16], Epochs = 40, Seed = 2, Threads = 1, MeasureTrainingSetAfterEpoch = true, ValidationFraction = 0.2f };
        var small = Trainers.Regression(options).Fit(sine).Model;
        var large = Trainers.Regression(options).Fit(shifted).Model;

        float[] a = small.PredictBatch(sine), b = large.PredictBatch(shifted);
        for (int i = 0; i < a.Length; i++) Assert.Equal(1000.0 * a[i] + 500.0, b[i], 1e-3 * 1000);
        for (int e = 0; e < small.History.Count; e++)
        {
            Assert.Equal(1e6 * small.History[e].TrainLoss, large.History[e].TrainLoss, 1e-3 * large.History[e].TrainLoss);
            Assert.Equal(1e6 * small.History[e].ValidationLoss!.Value, large.History[e].ValidationLoss!.Value, 1e-3 * large.History[e].ValidationLoss!.Value);
            Assert.Equal(small.History[e].ValidationMetric!.Value, large.History[e].ValidationMetric!.Value, 1e-3);
        }
        Assert.Equal(small.EvaluateRegression(sine).R2, large.EvaluateRegression(shifted).R2, 1e-3);
    }

    [Fact]
    public void The_history_loss_is_the_mean_squared_error_in_target_units()
    {
        var data = Friedman2().Subset(Enumerable.Range(0, 400).ToArray());
        var model = Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [8], Epochs = 5, Seed = 1, MeasureTrainingSetAfterEpoch = true }).Fit(data).Model;
        double mse = model.EvaluateRegression(data).Mse;
        Assert.True(mse > 1000, $"MSE {mse}: a target in the hundreds has errors in the hundreds");
        Assert.Equal(mse, model.History[^1].TrainLoss, 1e-4 * mse);
    }

    [Fact]
    public void Every_prediction_path_answers_in_target_units()
    {
        var data = Friedman2().Subset(Enumerable.Range(0, 300).ToArray());
        var model = Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [8], Epochs = 30, Seed = 1 }).Fit(data).Model;
        float[] batch = model.PredictBatch(data);
        var network = model.LayerActivations(model.Network.Layers.Count - 1, data.Features);
        var scaler = model.TargetScaler!;
        var one = new float[1];
        for (int i = 0; i < data.Rows; i++)
        {
            model.Predict(data.Row(i), one);
            Assert.Equal(batch[i], one[0]);
            Assert.Equal(model.PredictRow(data.Row(i)).Outputs[0], one[0]);
            // The output layer's activations are the network's own, standardised values.
            Assert.Equal(network[i] / scaler.Scale[0] + scaler.Offset[0], one[0], 1e-3);
        }
        Assert.InRange(batch.Average(), 200, 800);
    }

    [Fact]
    public void The_target_scaler_is_fitted_on_the_weighted_training_rows()
    {
        float[] y = [1, 2, 3, 10], w = [1, 1, 1, 3];
        var data = new Dataset([0, 1, 2, 3], 4, 1, y, weights: w);
        var model = Trainers.Regression(new NeuralNetworkOptions { HiddenLayers = [2], Epochs = 1, Seed = 1 }).Fit(data).Model;
        double mean = (1 + 2 + 3 + 30) / 6.0, variance = (Sq(1 - mean) + Sq(2 - mean) + Sq(3 - mean) + 3 * Sq(10 - mean)) / 6;
        Assert.Equal(mean, model.TargetScaler!.Offset[0], 1e-5);
        Assert.Equal(1 / Math.Sqrt(variance), model.TargetScaler.Scale[0], 1e-6);

        static double Sq(double v) => v * v;
    }

    [Fact]
    public void Target_scaling_can_be_turned_off_or_set_to_min_max()
    {
        var sine = TestData.NoisySine(60, 0.1, 1);
        var options = new NeuralNetworkOptions { HiddenLayers = [4], Epochs = 2, Seed = 1 };
        Assert.Null(Trainers.Regression(options with { TargetScaling = ScalingKind.None }).Fit(sine).Model.TargetScaler);
        var minMax = Trainers.Regression(options with { TargetScaling = ScalingKind.MinMax }).Fit(sine).Model.TargetScaler!;
        Assert.Equal(ScalerKind.MinMax, minMax.Kind);
        Assert.Equal(sine.Labels.Min(), minMax.Offset[0]);
        // A bounded output keeps its targets as given unless asked otherwise.
        Assert.Null(Trainers.Regression(options with { RegressionOutputActivation = ActivationKind.Sigmoid }).Fit(sine).Model.TargetScaler);
        Assert.Null(Trainers.MulticlassClassification(options).Fit(TestData.Iris()).Model.TargetScaler);
    }

    [Fact]
    public void Standardised_targets_with_a_bounded_output_are_refused_by_name()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Trainers.Regression(new NeuralNetworkOptions
        {
            RegressionOutputActivation = ActivationKind.Sigmoid, TargetScaling = ScalingKind.Standardize,
        }));
        Assert.Contains("TargetScaling", e.Message);
    }

    [Fact]
    public void A_non_finite_target_is_refused_naming_its_row()
    {
        // A data set refuses it where it enters (a streamed source's rows reach the target scaler's own check).
        var e = Assert.Throws<ArgumentException>(() =>
            Trainers.Regression(new NeuralNetworkOptions { Epochs = 1, Seed = 1, Shuffle = false }).Fit(new Dataset([0, 1, 2], 3, 1, [1, float.NaN, 2])));
        Assert.Contains("row 1", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
