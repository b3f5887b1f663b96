using System.Globalization;
using System.Management.Automation;
using MLNetNN.Data;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;
using MLNetNN.PowerShell.Training;
using MLNetNN.Training;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Trains a network on rows from the pipeline or a CSV file and returns the model.</para>
/// </summary>
/// <remarks>
/// Rows are collected as they arrive; training starts in EndProcessing, on a worker thread, while this cmdlet's pipeline
/// thread writes one progress update per epoch (PowerShell accepts writes only from that thread). Ctrl+C (StopProcessing)
/// cancels the engine, which stops after the current mini-batch and keeps the best weights so far. PowerShell refuses
/// output from a stopped pipeline, so that model goes into <c>$global:LastNeuralNet</c>, where every run leaves its model.
/// </remarks>
[Cmdlet(VerbsLifecycle.Invoke, "NeuralNetTraining", DefaultParameterSetName = InputObjectSet)]
[Alias("Invoke-Train")]
[OutputType(typeof(NeuralNetModel))]
public sealed class InvokeNeuralNetTrainingCommand : NeuralNetCmdlet
{
    private const string InputObjectSet = "InputObject", PathSet = "Path";

    /// <summary>The variable (global scope) that holds the model of the latest run, however it ended.</summary>
    public const string LastModelVariable = "LastNeuralNet";

    private readonly object _gate = new();
    private RowDatasetBuilder? _rows;
    private TrainingRun? _run;
    private bool _stopRequested;

    /// <summary>A row: an Import-Csv row, a [pscustomobject], a hashtable or any object with properties.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>A CSV file with a header row, read with '.' as the decimal point.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>The column to predict.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Label { get; set; } = null!;

    /// <summary>The network to train (New-NeuralNet); the defaults when left out.</summary>
    [Parameter]
    [ValidateNotNull]
    public NeuralNetSpec Network { get; set; } = null!;

    /// <summary>The feature columns; all but the label when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Feature { get; set; } = null!;

    /// <summary>Maximum passes over the data.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Epochs { get; set; }

    /// <summary>Rows per mini-batch; left out, the network's (<see cref="Defaults.BatchSize"/> unless set otherwise).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BatchSize { get; set; }

    /// <summary>Share of rows held out to validate each epoch (stratified for classification).</summary>
    [Parameter]
    [ValidateRange(0.0f, 0.95f)]
    public float ValidationFraction { get; set; }

    /// <summary>Stop when the validation loss stops improving, keeping the best epoch.</summary>
    [Parameter]
    public SwitchParameter EarlyStopping { get; set; }

    /// <summary>Epochs without improvement before stopping early or converging.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Patience { get; set; }

    /// <summary>When training counts as converged; None trains until the epoch limit (or early stopping, or Ctrl+C).</summary>
    [Parameter]
    public ConvergenceCriterion Convergence { get; set; }

    private NeuralNetSpec Spec => Network ?? NeuralNetSpec.Default();

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        if (ParameterSetName != InputObjectSet) return;
        try
        {
            _rows = new RowDatasetBuilder(Label, Spec.LabelKind, Feature);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(ErrorFor(e, "InvalidColumns", Feature));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (_rows is null) return;
        try
        {
            _rows.Add(PSObjectRows.Properties(InputObject));
        }
        catch (RowFormatException e)
        {
            // Training needs every row, so a bad one ends the command; the record points at the row.
            ThrowTerminatingError(ErrorFor(e, "InvalidTrainingRow", InputObject));
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        Dataset data;
        NeuralNetworkTrainer trainer;
        try
        {
            data = _rows?.Build() ?? ReadCsv(Path, Label, Spec.LabelKind, Feature, null);
            var settings = new TrainingSettings
            {
                Epochs = Bound(nameof(Epochs)) ? Epochs : null,
                BatchSize = Bound(nameof(BatchSize)) ? BatchSize : null,
                ValidationFraction = Bound(nameof(ValidationFraction)) ? ValidationFraction : null,
                EarlyStopping = Bound(nameof(EarlyStopping)) ? EarlyStopping.IsPresent : null,
                Patience = Bound(nameof(Patience)) ? Patience : null,
                Convergence = Bound(nameof(Convergence)) ? Convergence : null,
            };
            trainer = new NeuralNetworkTrainer(settings.Apply(Spec, data));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException)
        {
            ThrowTerminatingError(ErrorFor(e, "InvalidTrainingData", ParameterSetName == PathSet ? Path : null));
            return;
        }
        WriteVerbose(Describe(data, trainer.Options));
        string activity = $"Training a {NeuralNetTasks.FromKind(trainer.Options.Task)} network on '{Label}'";

        using var run = TrainingRun.Start(trainer, data);
        lock (_gate)
        {
            _run = run;
            if (_stopRequested) run.Cancel();
        }
        try
        {
            Report(run, activity);
        }
        catch (PipelineStoppedException)
        {
            // Stopped while a progress or verbose record was being written: end the run like any other stop, below.
            run.Cancel();
        }

        var model = Keep(run);
        if (model is null) return;
        if (run.IsCancellationRequested)
        {
            // A stopped pipeline takes no output (and WriteWarning throws), so tell the host directly where the model is.
            Host.UI.WriteWarningLine($"Training stopped: {model.Message} The model is in ${LastModelVariable}.");
            return;
        }
        WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose(model.Message);
        // The epoch limit cut short a run that was still improving: say so where a user looks, as scikit-learn's ConvergenceWarning does.
        if (model.Result?.StoppedWhileImproving == true) WriteWarning(model.Message);
        WriteObject(model);
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        lock (_gate)
        {
            _stopRequested = true;
            _run?.Cancel();
        }
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>One verbose line per epoch and a progress update for the newest, until training ends.</summary>
    private void Report(TrainingRun run, string activity)
    {
        foreach (var group in run.Updates())
        {
            if (run.IsCancellationRequested) continue;   // a stopping pipeline accepts no writes; just let the run wind down
            foreach (var epoch in group) WriteVerbose(epoch.ToString());
            var progress = EpochProgress.For(group[^1]);
            WriteProgress(new ProgressRecord(1, activity, progress.Status)
            {
                PercentComplete = progress.PercentComplete,
                SecondsRemaining = progress.SecondsRemaining,
            });
        }
    }

    /// <summary>
    /// The run's model, stored in <c>$global:LastNeuralNet</c> whatever the outcome, or null after divergence or bad data
    /// (which is reported here as an error).
    /// </summary>
    private NeuralNetModel? Keep(TrainingRun run)
    {
        TrainingResult result;
        try
        {
            result = run.Result();
        }
        catch (TrainingDivergedException e)
        {
            SessionState.PSVariable.Set("global:" + LastModelVariable, new NeuralNetModel(e.Result.Model, e.Result, Label));
            if (!run.IsCancellationRequested)
                WriteError(ErrorFor(e, "TrainingDiverged", null,
                    $"Lower -LearningRate in New-NeuralNet (or scale the features); the last good model is in ${LastModelVariable}."));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            if (!run.IsCancellationRequested) WriteError(ErrorFor(e, "TrainingFailed", null));
            return null;
        }
        var model = new NeuralNetModel(result.Model, result, Label);
        SessionState.PSVariable.Set("global:" + LastModelVariable, model);
        return model;
    }

    private static string Describe(Dataset data, NeuralNetworkOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        string labels = data.ClassNames is null ? "numeric targets" : $"{data.ClassCount} classes ({string.Join(", ", data.ClassNames)})";
        string validation = o.EffectiveValidationFraction > 0 ? string.Format(c, ", holding out {0:P0} for validation", o.EffectiveValidationFraction) : "";
        return string.Format(c, "{0} rows, {1} features ({2}), {3}. Training {4} with hidden layers [{5}] {6}, {7} lr {8:G3}, up to {9} epochs, batch {10}, seed {11}{12}.",
            data.Rows, data.Columns, string.Join(", ", data.FeatureNames), labels, o.Task, string.Join(", ", o.HiddenLayers), o.HiddenActivation,
            o.Optimizer, o.LearningRate, o.Epochs, o.BatchSize, o.Seed?.ToString(c) ?? "random", validation);
    }
}
