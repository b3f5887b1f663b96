using MLNetNN.Activations;
using MLNetNN.Initialization;
using MLNetNN.Layers;
using MLNetNN.Networks;
using MLNetNN.Optimizers;
using MLNetNN.Schedules;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

public abstract partial class NeuralNetworkTrainerBase
{
    /// <summary>
    /// Settings shared by the three network trainers, named as ML.NET's trainer options name them. Unset values take the engine's
    /// <see cref="Defaults"/>, the one set every front end reads (docs/defaults.md says how it was chosen), except <see cref="Seed"/>.
    /// </summary>
    public abstract class OptionsBase
    {
        /// <summary>The label column: Boolean or Single (binary), a key (multiclass), Single (regression).</summary>
        public string LabelColumnName { get; set; } = "Label";

        /// <summary>The feature column: a known-size vector of Single.</summary>
        public string FeatureColumnName { get; set; } = "Features";

        /// <summary>An optional Single column of example weights; rows with a missing or negative weight are skipped.</summary>
        public string? ExampleWeightColumnName { get; set; }

        /// <summary>Units per hidden layer, input side first; empty for none. <see cref="Layers"/>, when set, replaces it.</summary>
        public int[] HiddenLayers { get; set; } = Defaults.HiddenLayers.ToArray();

        /// <summary>
        /// Hidden layers of several kinds, input side first, in the engine's text form (<see cref="LayerText"/>):
        /// <c>"dense128,dropout0.5,bn,dense64"</c>, <c>"dense64:tanh"</c>, <c>"conv32x3,pool2,flatten,dense128,dropout0.5"</c>
        /// (with <see cref="InputShape"/>). The typed builder gives the same text: <c>new LayerStack().Dense(128).Dropout(0.5f).ToString()</c>.
        /// The task adds the output layer. When set it replaces <see cref="HiddenLayers"/>, and a dense layer written without an
        /// activation takes <see cref="Activation"/>; null (the default) builds <see cref="HiddenLayers"/>.
        /// </summary>
        public string? Layers { get; set; }

        /// <summary>
        /// The shape of one example when the features are an image, height x width x channels (<c>"28x28x1"</c>, as the Quickstart's
        /// <c>--input-shape</c>), its values stored channels last (pixel by pixel, a pixel's channels together, as ML.NET's
        /// <c>ExtractPixels</c> gives them with <c>interleavePixelColors: true</c>); its size must be the feature vector's. Null (the default): a flat vector.
        /// </summary>
        public string? InputShape { get; set; }

        /// <summary>Activation of every hidden layer (and of the dense layers of <see cref="Layers"/> that name none).</summary>
        public ActivationKind Activation { get; set; } = Defaults.HiddenActivation;

        /// <summary>α of leaky ReLU (default 0.01) or ELU (default 1).</summary>
        public float? ActivationAlpha { get; set; }

        /// <summary>The update rule.</summary>
        public OptimizerKind Optimizer { get; set; } = Defaults.Optimizer;

        /// <summary>Initial learning rate.</summary>
        public float LearningRate { get; set; } = Defaults.LearningRate;

        /// <summary>SGD momentum μ (0 for none), for <see cref="OptimizerKind.Sgd"/> and <see cref="OptimizerKind.GradientDescent"/>; another optimiser ignores it, and <c>ml.Log</c> gets a warning saying so.</summary>
        public float Momentum { get; set; }

        /// <summary>Nesterov momentum with SGD.</summary>
        public bool Nesterov { get; set; }

        /// <summary>Adam's β₁.</summary>
        public float Beta1 { get; set; } = Defaults.Beta1;

        /// <summary>Adam's β₂.</summary>
        public float Beta2 { get; set; } = Defaults.Beta2;

        /// <summary>ε of Adam and RMSProp.</summary>
        public float Epsilon { get; set; } = Defaults.Epsilon;

        /// <summary>AdamW's decoupled weight decay.</summary>
        public float WeightDecay { get; set; } = Defaults.AdamWWeightDecay;

        /// <summary>RMSProp's decay rate ρ.</summary>
        public float Rho { get; set; } = Defaults.RmsPropRho;

        /// <summary>How the learning rate changes over training.</summary>
        public LearningRateScheduleKind LearningRateSchedule { get; set; } = Defaults.Schedule;

        /// <summary>Step decay: epochs between reductions.</summary>
        public int DecayEveryEpochs { get; set; } = Defaults.StepDecayEpochs;

        /// <summary>Step decay and reduce-on-plateau: the factor applied to the rate.</summary>
        public float DecayFactor { get; set; } = Defaults.DecayFactor;

        /// <summary>Inverse scaling: p in lr / tᵖ.</summary>
        public float InverseScalingPower { get; set; } = Defaults.InverseScalingPower;

        /// <summary>Reduce-on-plateau: epochs without improvement before the rate is cut.</summary>
        public int PlateauPatience { get; set; } = Defaults.PlateauPatience;

        /// <summary>Reduce-on-plateau: the lowest rate.</summary>
        public float MinimumLearningRate { get; set; }

        /// <summary>Maximum passes over the training rows.</summary>
        public int Epochs { get; set; } = Defaults.Epochs;

        /// <summary>Rows per mini-batch (<see cref="Defaults.BatchSize"/> unless set).</summary>
        public int BatchSize { get; set; } = Defaults.BatchSize;

        /// <summary>L1 strength on the weights (not biases).</summary>
        public float L1Regularization { get; set; }

        /// <summary>L2 strength on the weights (not biases).</summary>
        public float L2Regularization { get; set; }

        /// <summary>How weights are drawn.</summary>
        public InitializerKind Initializer { get; set; } = Defaults.Initializer;

        /// <summary>Stop when the validation loss stops improving and keep the best epoch's weights.</summary>
        public bool EarlyStopping { get; set; }

        /// <summary>
        /// Share of the training rows held out for validation when <c>Fit</c> gets no validation data; null means 0.1 with early
        /// stopping, else none. Rows are assigned by a seeded hash of their row id, so the split costs no memory.
        /// </summary>
        public float? ValidationFraction { get; set; }

        /// <summary>The convergence test applied every epoch.</summary>
        public ConvergenceCriterion Convergence { get; set; } = Defaults.Convergence;

        /// <summary>Tolerance of the convergence test and early stopping (with <see cref="OptimizerKind.Lbfgs"/>, the gradient tolerance).</summary>
        public double Tolerance { get; set; } = Defaults.Tolerance;

        /// <summary><see cref="OptimizerKind.Lbfgs"/>: the (s, y) pairs of past steps it keeps.</summary>
        public int LbfgsHistorySize { get; set; } = Defaults.LbfgsHistorySize;

        /// <summary><see cref="OptimizerKind.Lbfgs"/>: the most passes over the data view, line-search trials included.</summary>
        public int MaxFunctionEvaluations { get; set; } = Defaults.MaxFunctionEvaluations;

        /// <summary>Epochs without enough improvement before converging or stopping early.</summary>
        public int Patience { get; set; } = Defaults.Patience;

        /// <summary>
        /// Seed for initialisation, shuffling and the validation split. ML.NET keeps an MLContext's seed internal, so the trainer
        /// cannot inherit it; a fixed default (1) makes a pipeline reproducible as <c>new MLContext(seed: …)</c> users expect.
        /// Null draws a fresh seed every <c>Fit</c>.
        /// </summary>
        public int? Seed { get; set; } = 1;

        /// <summary>Whether the trainer standardises the features itself (see <see cref="MLNet.FeatureNormalization"/>).</summary>
        public FeatureNormalization FeatureNormalization { get; set; } = FeatureNormalization.Auto;

        /// <summary>
        /// Rows held by the streaming shuffle (when the data view cannot shuffle itself); memory is about
        /// (ShuffleBufferRows + 5 × BatchSize) × (features + 2) × 4 bytes. Data with fewer rows is shuffled completely.
        /// </summary>
        public int ShuffleBufferRows { get; set; } = 10_000;

        /// <summary>Threads for the matrix work; null uses every core. Results do not depend on it.</summary>
        public int? NumberOfThreads { get; set; }

        /// <summary>Receives a record after every epoch (loss, metric, validation figures, learning rate, time).</summary>
        public IProgress<EpochRecord>? Progress { get; set; }

        /// <summary>
        /// Stops training at the next batch; the transformer keeps the best weights so far. (Cancelling the <c>MLContext</c>, as
        /// AutoML does, instead abandons training with <see cref="OperationCanceledException"/>, as ML.NET's own trainers do.)
        /// </summary>
        public CancellationToken CancellationToken { get; set; }

        /// <summary>This class's name for an engine option, where the two differ (so a warning names the option the user set).</summary>
        internal static string OptionFor(string engineOption) => engineOption switch
        {
            nameof(NeuralNetworkOptions.Schedule) => nameof(LearningRateSchedule),
            nameof(NeuralNetworkOptions.PowerT) => nameof(InverseScalingPower),
            _ => engineOption,
        };

        /// <summary>The engine's options for a run of <paramref name="task"/>.</summary>
        internal virtual NeuralNetworkOptions ToEngineOptions(TaskKind task) => new()
        {
            Task = task,
            HiddenLayers = HiddenLayers ?? throw new ArgumentNullException(nameof(HiddenLayers)),
            HiddenActivation = Activation,
            ActivationAlpha = ActivationAlpha,
            Layers = Layers is null ? null : Parsed(nameof(Layers), Layers, text => LayerText.Parse(text, Activation, ActivationAlpha)),
            InputShape = InputShape is null ? null : Parsed(nameof(InputShape), InputShape, LayerShape.Parse),
            Optimizer = Optimizer,
            LearningRate = LearningRate,
            Momentum = Momentum,
            Nesterov = Nesterov,
            Beta1 = Beta1,
            Beta2 = Beta2,
            Epsilon = Epsilon,
            WeightDecay = WeightDecay,
            Rho = Rho,
            Schedule = LearningRateSchedule,
            DecayEveryEpochs = DecayEveryEpochs,
            DecayFactor = DecayFactor,
            PowerT = InverseScalingPower,
            PlateauPatience = PlateauPatience,
            MinimumLearningRate = MinimumLearningRate,
            Epochs = Epochs,
            BatchSize = BatchSize,
            L1 = L1Regularization,
            L2 = L2Regularization,
            Initializer = Initializer,
            EarlyStopping = EarlyStopping,
            ValidationFraction = ValidationFraction,
            Convergence = Convergence,
            Tolerance = Tolerance,
            LbfgsHistorySize = LbfgsHistorySize,
            MaxFunctionEvaluations = MaxFunctionEvaluations,
            Patience = Patience,
            Seed = Seed,
            Threads = NumberOfThreads,
            // The engine fits its own scaler only for in-memory data; the adapter standardises streamed rows itself (see Fit).
            Scaling = ScalingKind.None,
        };
    }

    /// <summary>
    /// A text option read by <paramref name="parse"/>; its <see cref="FormatException"/> becomes what ML.NET throws for a bad
    /// option (<c>CheckUserArg</c>): an <see cref="ArgumentOutOfRangeException"/> naming the option, with the parser's words
    /// naming the layer and its position.
    /// </summary>
    private static T Parsed<T>(string option, string text, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentOutOfRangeException(option, text, $"{option}: {e.Message}");
        }
    }

    /// <summary>The settings of the two classifying trainers: <see cref="OptionsBase"/>'s, and class weights.</summary>
    public abstract class ClassificationOptionsBase : OptionsBase
    {
        /// <summary>
        /// Weigh each class by n / (classes · nᶜ) in the training loss, nᶜ counting its rows (scikit-learn's
        /// <c>class_weight='balanced'</c>), for imbalanced data. Multiplies the example weights.
        /// </summary>
        public bool BalancedClassWeights { get; set; }

        /// <summary>
        /// A weight per class (classes not listed weigh 1), multiplying the example weights in the training loss. Classes are named
        /// as the trained model names them: a key's value ("cat"), or False / True for a Boolean label.
        /// </summary>
        public IDictionary<string, float>? ClassWeights { get; set; }

        internal override NeuralNetworkOptions ToEngineOptions(TaskKind task) => base.ToEngineOptions(task) with
        {
            BalancedClassWeights = BalancedClassWeights,
            ClassWeights = ClassWeights is null ? null : new Dictionary<string, float>(ClassWeights),
        };
    }
}
