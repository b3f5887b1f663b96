using System.Text.Json.Serialization;
using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.Optimizers.Lbfgs;
using MLNetNN.Schedules;

namespace MLNetNN.Training;

/// <summary>
/// Everything that decides how a network is built and trained. Unset values take <see cref="Defaults"/>.
/// Saved with the model, so a model file says how it was made.
/// </summary>
public sealed record NeuralNetworkOptions
{
    /// <summary>What the network predicts.</summary>
    public TaskKind Task { get; init; } = TaskKind.MulticlassClassification;

    /// <summary>Units per hidden layer, input side first (scikit-learn's hidden_layer_sizes); empty for no hidden layer.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = Defaults.HiddenLayers;

    /// <summary>Activation of every hidden layer (and of the dense layers of <see cref="Layers"/> parsed without one).</summary>
    public ActivationKind HiddenActivation { get; init; } = Defaults.HiddenActivation;

    private readonly IReadOnlyList<LayerSpec>? _layers;

    /// <summary>
    /// The hidden layers of several kinds, input side first (dense, dropout, batch normalisation, flatten), declared with
    /// <see cref="LayerStack"/>, <see cref="LayerSpec"/>'s factories or <see cref="LayerText.Parse"/>
    /// (<c>"dense128,dropout0.5,bn,dense64"</c>); the task adds the output layer. When set, it replaces <see cref="HiddenLayers"/>
    /// and the dense layers carry their own activations; null (the default) builds <see cref="HiddenLayers"/> of <see cref="HiddenActivation"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LayerSpec>? Layers { get => _layers; init => _layers = value?.ToArray(); }

    /// <summary>
    /// The shape of one example when it is an image (height × width × channels, stored channels last: 28×28×1 for MNIST), for
    /// the layers that need one; its size must equal the feature count. Null: a flat vector of the features.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LayerShape? InputShape { get; init; }

    /// <summary>The hidden layers the network is built with: <see cref="Layers"/>, or <see cref="HiddenLayers"/> of <see cref="HiddenActivation"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<LayerSpec> EffectiveHiddenLayers =>
        Layers ?? HiddenLayers.Select(units => new LayerSpec(units, HiddenActivation, ActivationAlpha)).ToArray();

    /// <summary>α of leaky ReLU (default 0.01) or ELU (default 1).</summary>
    public float? ActivationAlpha { get; init; }

    /// <summary>Regression only: the output activation (identity by default; sigmoid or tanh for bounded targets).</summary>
    public ActivationKind? RegressionOutputActivation { get; init; }

    /// <summary>The update rule, or <see cref="OptimizerKind.Lbfgs"/> for the full-batch quasi-Newton solver.</summary>
    public OptimizerKind Optimizer { get; init; } = Defaults.Optimizer;

    /// <summary>Initial learning rate. <see cref="OptimizerKind.Lbfgs"/> has none: its line search chooses every step.</summary>
    public float LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>
    /// SGD momentum μ (0 for none), for <see cref="OptimizerKind.Sgd"/> and <see cref="OptimizerKind.GradientDescent"/>; other
    /// optimisers ignore it, and <see cref="IgnoredSettings"/> says so for the front ends to warn.
    /// </summary>
    public float Momentum { get; init; }

    /// <summary>Use Nesterov momentum with SGD (ignored by other optimisers, as <see cref="Momentum"/>).</summary>
    public bool Nesterov { get; init; }

    /// <summary>Adam's β₁.</summary>
    public float Beta1 { get; init; } = Defaults.Beta1;

    /// <summary>Adam's β₂.</summary>
    public float Beta2 { get; init; } = Defaults.Beta2;

    /// <summary>ε of Adam and RMSProp.</summary>
    public float Epsilon { get; init; } = Defaults.Epsilon;

    /// <summary>AdamW's decoupled weight decay λ (weights only).</summary>
    public float WeightDecay { get; init; } = Defaults.AdamWWeightDecay;

    /// <summary>RMSProp's decay rate ρ.</summary>
    public float Rho { get; init; } = Defaults.RmsPropRho;

    /// <summary>How the learning rate changes over training.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = Defaults.Schedule;

    /// <summary>Step decay: epochs between reductions.</summary>
    public int DecayEveryEpochs { get; init; } = Defaults.StepDecayEpochs;

    /// <summary>Step decay and reduce-on-plateau: the factor applied to the rate.</summary>
    public float DecayFactor { get; init; } = Defaults.DecayFactor;

    /// <summary>Inverse scaling: p in <c>lr / tᵖ</c>.</summary>
    public float PowerT { get; init; } = Defaults.InverseScalingPower;

    /// <summary>Reduce-on-plateau: epochs without improvement before the rate is cut.</summary>
    public int PlateauPatience { get; init; } = Defaults.PlateauPatience;

    /// <summary>Reduce-on-plateau: the rate never goes below this.</summary>
    public float MinimumLearningRate { get; init; }

    /// <summary>
    /// Maximum passes over the training data. With <see cref="OptimizerKind.Lbfgs"/>, the most iterations (scikit-learn's max_iter):
    /// an iteration is one epoch of the history, and its line search may pass over the data more than once.
    /// </summary>
    public int Epochs { get; init; } = Defaults.Epochs;

    /// <summary>
    /// Rows per mini-batch (capped at the number of rows). <see cref="OptimizerKind.GradientDescent"/> and
    /// <see cref="OptimizerKind.Lbfgs"/> use every row for each step and pass over them this many rows at a time.
    /// </summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Reshuffle the training rows every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed for initialisation, shuffling and the validation split; the same seed gives bit-identical results. Null draws one (reported in the result).</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// L1 strength λ₁: adds <c>λ₁‖W‖₁</c> to the loss (weights only, not biases). First-order optimisers follow its subgradient
    /// <c>λ₁·sign(w)</c>; <see cref="OptimizerKind.Lbfgs"/> runs as OWL-QN, which handles the kink at 0 and leaves weights exactly 0.
    /// </summary>
    public float L1 { get; init; }

    /// <summary>L2 strength λ₂: adds <c>(λ₂/2)‖W‖²</c> to the loss (weights only, not biases).</summary>
    public float L2 { get; init; }

    /// <summary>How weights are drawn.</summary>
    public InitializerKind Initializer { get; init; } = Defaults.Initializer;

    /// <summary>r for <see cref="InitializerKind.Uniform"/>, σ for <see cref="InitializerKind.Normal"/>; null takes the default for the kind.</summary>
    public float? InitializerScale { get; init; }

    /// <summary>The starting value of every bias.</summary>
    public float InitialBias { get; init; }

    /// <summary>Feature scaling fitted on the training rows and stored with the model.</summary>
    public ScalingKind Scaling { get; init; } = Defaults.Scaling;

    /// <summary>
    /// Regression only: how the targets are scaled for training, fitted on the training rows (weighted by the example weights) and
    /// stored with the model, which maps the network's outputs back, so predictions, losses, history and metrics are in the
    /// targets' own units. Null, the default, standardises the targets when the output activation is the identity (a target in the
    /// hundreds otherwise meets weights drawn for unit-sized values, and training fails), and leaves them as given for a sigmoid or
    /// tanh output, whose range the caller has matched to the targets. <see cref="ScalingKind.None"/> turns it off;
    /// <see cref="ScalingKind.MinMax"/> maps the training range onto [0, 1]. <see cref="Tolerance"/> then applies to the loss of the
    /// scaled targets, which the optimiser sees.
    /// </summary>
    public ScalingKind? TargetScaling { get; init; }

    /// <summary>
    /// Classification only: weight every example by its class's weight n / (classes · nᶜ), where nᶜ counts the class's training
    /// rows (scikit-learn's <c>class_weight='balanced'</c>), so each class weighs the same in the loss. Multiplies the example
    /// weights; applies to the training loss only (validation figures stay unweighted by class).
    /// </summary>
    public bool BalancedClassWeights { get; init; }

    /// <summary>
    /// Classification only: a weight per class name (classes not listed weigh 1), multiplying the example weights in the training
    /// loss, as scikit-learn's <c>class_weight</c> dictionary. Weights must be finite and not negative; every name must be a class
    /// of the training data. Not with <see cref="BalancedClassWeights"/>.
    /// </summary>
    public IReadOnlyDictionary<string, float>? ClassWeights { get; init; }

    /// <summary>Stop when the validation loss has not improved by <see cref="Tolerance"/> for <see cref="Patience"/> epochs, and restore the best epoch.</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>Share of the training rows held out (stratified for classification) when no validation set is given; null means 0.1 with early stopping, else none.</summary>
    public float? ValidationFraction { get; init; }

    /// <summary>
    /// Measure each epoch's training loss and metric on the whole training set after the epoch's updates (one extra forward pass),
    /// instead of the running figures gathered batch by batch while the weights change. Slower; gives the lecture's train-vs-test curves.
    /// </summary>
    public bool MeasureTrainingSetAfterEpoch { get; init; }

    /// <summary>With validation data, end with the weights of the epoch with the lowest validation loss.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>The convergence test applied every epoch.</summary>
    public ConvergenceCriterion Convergence { get; init; } = Defaults.Convergence;

    /// <summary>
    /// Tolerance of the convergence test and of early stopping, on the loss the optimiser sees (of the scaled targets, when
    /// <see cref="TargetScaling"/> scales them). With <see cref="OptimizerKind.Lbfgs"/> it is the gradient tolerance, as
    /// scikit-learn passes its tol to scipy's gtol: training has converged when every component of the objective's gradient is
    /// within it (or a step lowers the loss by less than about 2e-9 of itself, scipy's ftol).
    /// </summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Epochs without enough improvement before converging (loss change) or stopping early.</summary>
    public int Patience { get; init; } = Defaults.Patience;

    /// <summary><see cref="OptimizerKind.Lbfgs"/>: the (s, y) pairs of past steps its inverse-Hessian approximation keeps (m).</summary>
    public int LbfgsHistorySize { get; init; } = Defaults.LbfgsHistorySize;

    /// <summary><see cref="OptimizerKind.Lbfgs"/>: the most passes over the training data, line-search trials included (scikit-learn's max_fun).</summary>
    public int MaxFunctionEvaluations { get; init; } = Defaults.MaxFunctionEvaluations;

    /// <summary>Threads for the matrix work; null uses every core. Results do not depend on it.</summary>
    public int? Threads { get; init; }

    /// <summary>The thread count actually used: <see cref="Threads"/>, or every core.</summary>
    [JsonIgnore]
    public int EffectiveThreads => Threads ?? Environment.ProcessorCount;

    /// <summary>The validation fraction actually used.</summary>
    [JsonIgnore]
    public float EffectiveValidationFraction => ValidationFraction ?? (EarlyStopping ? Defaults.ValidationFraction : 0f);

    /// <summary>The target scaling actually used: <see cref="TargetScaling"/>, or its default for the task and output activation; None for classification.</summary>
    [JsonIgnore]
    public ScalingKind EffectiveTargetScaling => Task != TaskKind.Regression
        ? ScalingKind.None
        : TargetScaling ?? ((RegressionOutputActivation ?? ActivationKind.Identity) == ActivationKind.Identity ? Defaults.TargetScaling : ScalingKind.None);

    /// <summary>Checks every setting, naming the first that is out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object? value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
        }
        Require(HiddenLayers is not null && HiddenLayers.All(u => u >= 1), nameof(HiddenLayers), HiddenLayers is null ? null : string.Join(",", HiddenLayers), "must list positive unit counts");
        CheckLayers();
        Require(HiddenActivation != ActivationKind.Softmax, nameof(HiddenActivation), HiddenActivation, "must be element-wise; softmax is for the output layer");
        Require(HiddenActivation != ActivationKind.Step || HiddenLayers!.Count == 0, nameof(HiddenActivation), HiddenActivation,
            "cannot be Step when training by gradient descent (its derivative is zero); use PerceptronTrainer for the classic perceptron");
        Require(RegressionOutputActivation is null or ActivationKind.Identity or ActivationKind.Sigmoid or ActivationKind.Tanh,
            nameof(RegressionOutputActivation), RegressionOutputActivation, "must be Identity, Sigmoid or Tanh");
        Require(float.IsFinite(LearningRate) && LearningRate > 0f, nameof(LearningRate), LearningRate, "must be positive");
        Require(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        Require(L1 >= 0f && float.IsFinite(L1), nameof(L1), L1, "must be finite and not negative");
        Require(L2 >= 0f && float.IsFinite(L2), nameof(L2), L2, "must be finite and not negative");
        Require(EffectiveValidationFraction is >= 0f and < 1f, nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        Require(Tolerance >= 0, nameof(Tolerance), Tolerance, "must not be negative");
        Require(Patience >= 1, nameof(Patience), Patience, "must be at least 1");
        Require(Threads is null or >= 1, nameof(Threads), Threads, "must be at least 1");
        Require(InitializerScale is null || (InitializerScale > 0f && float.IsFinite(InitializerScale.Value)), nameof(InitializerScale), InitializerScale, "must be positive");
        Require(LbfgsHistorySize >= 1, nameof(LbfgsHistorySize), LbfgsHistorySize, "must be at least 1");
        Require(MaxFunctionEvaluations >= 1, nameof(MaxFunctionEvaluations), MaxFunctionEvaluations, "must be at least 1");
        Require(TargetScaling is null || Enum.IsDefined(TargetScaling.Value), nameof(TargetScaling), TargetScaling, "must be None, Standardize or MinMax");
        Require(TargetScaling != ScalingKind.Standardize || (RegressionOutputActivation ?? ActivationKind.Identity) == ActivationKind.Identity,
            nameof(TargetScaling), TargetScaling, $"cannot be Standardize with a {RegressionOutputActivation} output, whose range standardised targets leave; use MinMax or None");
        Require(!(BalancedClassWeights || ClassWeights is not null) || Task != TaskKind.Regression, nameof(ClassWeights), Task,
            "apply to classification only; a regression model weighs examples through the data set's weights");
        Require(!(BalancedClassWeights && ClassWeights is not null), nameof(ClassWeights), "a map and BalancedClassWeights",
            "cannot be given together with BalancedClassWeights; choose one");
        if (ClassWeights is not null)
            foreach (var (name, weight) in ClassWeights)
                if (!float.IsFinite(weight) || weight < 0f)
                    throw new ArgumentOutOfRangeException(nameof(ClassWeights), weight, $"ClassWeights: class '{name}' has weight {weight}; a class weight must be finite and not negative.");
        // The optimiser, solver and schedule constructors check their own ranges.
        if (Optimizer == OptimizerKind.Lbfgs)
            _ = CreateLbfgsMinimizer();
        else
            _ = CreateOptimizer();
        _ = CreateSchedule();
    }

    /// <summary>
    /// Each setting given a value (other than its default) that <see cref="Optimizer"/> or <see cref="Schedule"/> does not use:
    /// <see cref="Momentum"/> and <see cref="Nesterov"/> outside SGD (Adam's first moment is its own momentum, set by
    /// <see cref="Beta1"/>), β₁ and β₂ outside Adam and AdamW, ε outside those and RMSProp, <see cref="WeightDecay"/> outside
    /// AdamW, ρ outside RMSProp, the learning rate and schedule with L-BFGS, and each schedule's settings with another schedule.
    /// <see cref="Validate"/> accepts them, as scikit-learn's MLP ignores momentum outside its 'sgd' solver and power_t outside
    /// 'invscaling'; so that none is ignored in silence, the front ends pass these on as warnings (the ML.NET trainers to
    /// <c>ml.Log</c>, New-NeuralNet as PowerShell warnings), each naming the setting as that front end spells it. Empty when
    /// every setting given is used.
    /// </summary>
    public IReadOnlyList<IgnoredSetting> IgnoredSettings()
    {
        var ignored = new List<IgnoredSetting>();
        bool lbfgs = Optimizer == OptimizerKind.Lbfgs;
        const string lbfgsReason = "does not apply to the Lbfgs optimiser, whose line search chooses every step.";
        void Optimisers(bool given, string option, object? value, params OptimizerKind[] users)
        {
            if (given && !users.Contains(Optimizer))
                ignored.Add(new(option, value, $"applies only to the {Names(users)} optimiser{(users.Length > 1 ? "s" : "")}; {Optimizer} ignores it."));
        }
        void Schedules(bool given, string option, object value, params LearningRateScheduleKind[] users)
        {
            if (given && (lbfgs || !users.Contains(Schedule)))
                ignored.Add(new(option, value, lbfgs ? lbfgsReason : $"applies only to the {Names(users)} schedule{(users.Length > 1 ? "s" : "")}; {Schedule} ignores it."));
        }
        Optimisers(Momentum != 0f, nameof(Momentum), Momentum, OptimizerKind.Sgd, OptimizerKind.GradientDescent);
        Optimisers(Nesterov, nameof(Nesterov), null, OptimizerKind.Sgd, OptimizerKind.GradientDescent);
        Optimisers(Beta1 != Defaults.Beta1, nameof(Beta1), Beta1, OptimizerKind.Adam, OptimizerKind.AdamW);
        Optimisers(Beta2 != Defaults.Beta2, nameof(Beta2), Beta2, OptimizerKind.Adam, OptimizerKind.AdamW);
        Optimisers(Epsilon != Defaults.Epsilon, nameof(Epsilon), Epsilon, OptimizerKind.Adam, OptimizerKind.AdamW, OptimizerKind.RMSProp);
        Optimisers(WeightDecay != Defaults.AdamWWeightDecay, nameof(WeightDecay), WeightDecay, OptimizerKind.AdamW);
        Optimisers(Rho != Defaults.RmsPropRho, nameof(Rho), Rho, OptimizerKind.RMSProp);
        if (lbfgs && LearningRate != Defaults.LearningRate) ignored.Add(new(nameof(LearningRate), LearningRate, lbfgsReason));
        if (lbfgs && Schedule != Defaults.Schedule) ignored.Add(new(nameof(Schedule), Schedule, lbfgsReason));
        Schedules(DecayEveryEpochs != Defaults.StepDecayEpochs, nameof(DecayEveryEpochs), DecayEveryEpochs, LearningRateScheduleKind.StepDecay);
        Schedules(DecayFactor != Defaults.DecayFactor, nameof(DecayFactor), DecayFactor, LearningRateScheduleKind.StepDecay, LearningRateScheduleKind.ReduceOnPlateau);
        Schedules(PowerT != Defaults.InverseScalingPower, nameof(PowerT), PowerT, LearningRateScheduleKind.InverseScaling);
        Schedules(PlateauPatience != Defaults.PlateauPatience, nameof(PlateauPatience), PlateauPatience, LearningRateScheduleKind.ReduceOnPlateau);
        Schedules(MinimumLearningRate != 0f, nameof(MinimumLearningRate), MinimumLearningRate, LearningRateScheduleKind.ReduceOnPlateau);
        return ignored;

        static string Names<T>(T[] kinds) where T : struct, Enum =>
            kinds.Length == 1 ? $"{kinds[0]}" : $"{string.Join(", ", kinds[..^1])} and {kinds[^1]}";
    }

    /// <summary>
    /// <see cref="Layers"/> must build on <see cref="InputShape"/> (on a flat input when none is given) and be trainable by
    /// gradient descent; dropout and batch normalisation make each training step differ from inference, which the smooth
    /// full-batch objective of L-BFGS cannot have.
    /// </summary>
    private void CheckLayers()
    {
        if (Layers is null) return;
        // An output layer of one unit stands for the task's, which only the data decides: the hidden layers must feed a dense layer.
        try
        {
            _ = NeuralNetwork.CreateLayers(InputShape ?? LayerShape.Flat(1), [.. Layers, new LayerSpec(1, ActivationKind.Identity)], out _, out _);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentOutOfRangeException(nameof(Layers), LayerText.Format(Layers), $"Layers: {LayerText.Sentence(e)}");
        }
        foreach (var layer in Layers)
            if (layer.Kind is LayerKind.Dense or LayerKind.Convolution && layer.Activation == ActivationKind.Step)
                throw new ArgumentOutOfRangeException(nameof(Layers), LayerText.Format(Layers),
                    "Layers: a dense or convolutional layer cannot have a Step activation when training by gradient descent (its derivative is zero).");
        if (Optimizer == OptimizerKind.Lbfgs && Layers.Any(l => l.Kind is LayerKind.Dropout or LayerKind.BatchNormalization))
            throw new ArgumentOutOfRangeException(nameof(Layers), LayerText.Format(Layers),
                "Layers: dropout and batch normalisation make each training step differ from inference, so L-BFGS, which needs one smooth objective over every row, cannot train them; use Adam or SGD.");
    }

    /// <summary>The optimiser these options describe, ready to initialise. <see cref="OptimizerKind.Lbfgs"/> is a solver, not an update rule: see <see cref="CreateLbfgsMinimizer"/>.</summary>
    public IOptimizer CreateOptimizer() => Optimizer switch
    {
        OptimizerKind.Lbfgs => throw new InvalidOperationException("L-BFGS chooses its own steps along the whole training set's gradient, so it is no per-batch update rule; use CreateLbfgsMinimizer."),
        OptimizerKind.GradientDescent => new Sgd(Momentum, Nesterov, fullBatch: true),
        OptimizerKind.Sgd => new Sgd(Momentum, Nesterov),
        OptimizerKind.Adam => new Adam(Beta1, Beta2, Epsilon, threads: EffectiveThreads),
        OptimizerKind.AdamW => new Adam(Beta1, Beta2, Epsilon, WeightDecay, EffectiveThreads),
        OptimizerKind.RMSProp => new RMSProp(Rho, Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimiser."),
    };

    /// <summary>
    /// The L-BFGS solver these options describe: <see cref="LbfgsHistorySize"/> pairs, at most <see cref="Epochs"/> iterations and
    /// <see cref="MaxFunctionEvaluations"/> evaluations, and the gradient tolerance <see cref="Tolerance"/> with scipy's relative
    /// function tolerance, both off when <see cref="Convergence"/> is <see cref="ConvergenceCriterion.None"/>.
    /// </summary>
    public LbfgsMinimizer CreateLbfgsMinimizer()
    {
        bool converge = Convergence != ConvergenceCriterion.None;
        return new LbfgsMinimizer(LbfgsHistorySize, converge ? Tolerance : 0, converge ? LbfgsMinimizer.DefaultFunctionTolerance : 0,
            Epochs, MaxFunctionEvaluations);
    }

    /// <summary>The learning-rate schedule these options describe.</summary>
    public ILearningRateSchedule CreateSchedule() => Schedule switch
    {
        LearningRateScheduleKind.Constant => new ConstantSchedule(LearningRate),
        LearningRateScheduleKind.StepDecay => new StepDecaySchedule(LearningRate, DecayEveryEpochs, DecayFactor),
        LearningRateScheduleKind.InverseScaling => new InverseScalingSchedule(LearningRate, PowerT),
        LearningRateScheduleKind.ReduceOnPlateau => new ReduceOnPlateauSchedule(LearningRate, DecayFactor, PlateauPatience, MinimumLearningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "Unknown schedule."),
    };

    /// <summary>Scale for the initialiser: the given one, or the default for uniform (±0.7) and normal.</summary>
    [JsonIgnore]
    public float EffectiveInitializerScale => InitializerScale ?? (Initializer == InitializerKind.Normal ? Defaults.NormalStdDev : Defaults.UniformRange);
}
