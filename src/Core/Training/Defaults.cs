using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Optimizers;
using MLNetNN.Schedules;

namespace MLNetNN.Training;

/// <summary>Every default of the trainer, in one place. They follow scikit-learn's MLP where it has one, since they train well untuned.</summary>
public static class Defaults
{
    /// <summary>One hidden layer of 100 units (scikit-learn's hidden_layer_sizes=(100,)).</summary>
    public static IReadOnlyList<int> HiddenLayers => [100];
    public const ActivationKind HiddenActivation = ActivationKind.ReLU;
    public const OptimizerKind Optimizer = OptimizerKind.Adam;
    public const float LearningRate = 1e-3f;
    public const int Epochs = 200;
    /// <summary>Rows per mini-batch (scikit-learn uses min(200, rows)).</summary>
    public const int BatchSize = 200;
    public const float Momentum = 0.9f;
    public const float Beta1 = 0.9f;
    public const float Beta2 = 0.999f;
    public const float Epsilon = 1e-8f;
    public const float RmsPropRho = 0.9f;
    public const float AdamWWeightDecay = 0.01f;
    public const LearningRateScheduleKind Schedule = LearningRateScheduleKind.Constant;
    public const int StepDecayEpochs = 10;
    public const float DecayFactor = 0.5f;
    public const float InverseScalingPower = 0.5f;
    public const int PlateauPatience = 5;
    public const InitializerKind Initializer = InitializerKind.Auto;
    /// <summary>r for uniform initialisation: the classic ±0.7 for standardised inputs.</summary>
    public const float UniformRange = 0.7f;
    public const float NormalStdDev = 0.05f;
    public const ScalingKind Scaling = ScalingKind.Standardize;
    public const ConvergenceCriterion Convergence = ConvergenceCriterion.LossChange;
    public const double Tolerance = 1e-4;
    /// <summary>Epochs without enough improvement before convergence or early stopping (scikit-learn's n_iter_no_change).</summary>
    public const int Patience = 10;
    public const float ValidationFraction = 0.1f;
    /// <summary>(s, y) pairs L-BFGS keeps (scipy's L-BFGS-B default m = 10).</summary>
    public const int LbfgsHistorySize = Optimizers.Lbfgs.LbfgsMinimizer.DefaultHistorySize;
    /// <summary>Function evaluations L-BFGS may make, line-search trials included (scikit-learn's max_fun).</summary>
    public const int MaxFunctionEvaluations = 15000;
}
