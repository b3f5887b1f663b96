using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Predicts each row and returns it with the prediction added (PredictedLabel, Probability, Probabilities; or PredictedValue).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NeuralNetPrediction", DefaultParameterSetName = InputObjectSet)]
[Alias("Invoke-Predict")]
[OutputType(typeof(PSObject))]
public sealed class InvokeNeuralNetPredictionCommand : NeuralNetCmdlet
{
    private const string InputObjectSet = "InputObject", PathSet = "Path";

    /// <summary>The type name predictions carry, which selects their table view.</summary>
    public const string ClassificationTypeName = "MLNetNN.Prediction", RegressionTypeName = "MLNetNN.RegressionPrediction";

    private RowPredictor? _predictor;

    /// <summary>The trained model.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public NeuralNetModel Model { get; set; } = null!;

    /// <summary>A row with the model's feature columns; other columns are kept and ignored.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>A CSV file whose rows to predict (read as Import-Csv reads it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <inheritdoc/>
    protected override void BeginProcessing() => _predictor = new RowPredictor(Model.Model);

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            Predict(InputObject);
            return;
        }
        string file;
        try
        {
            file = ResolveExistingFile(Path);
        }
        catch (Exception e) when (e is ArgumentException or IOException or ItemNotFoundException)
        {
            ThrowTerminatingError(ErrorFor(e, "InputFileNotFound", Path));
            return;
        }
        // Import-Csv itself, so -Path gives exactly the objects `Import-Csv | Invoke-NeuralNetPrediction` would.
        using var csv = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        csv.AddCommand(@"Microsoft.PowerShell.Utility\Import-Csv").AddParameter("LiteralPath", file);
        foreach (var row in csv.Invoke()) Predict(row);
    }

    private void Predict(PSObject row)
    {
        try
        {
            var added = _predictor!.Predict(PSObjectRows.Properties(row));
            WriteObject(PSObjectRows.Merge(row, added, Model.Model.IsClassifier ? ClassificationTypeName : RegressionTypeName));
        }
        catch (RowFormatException e)
        {
            // One bad row does not spoil the others: report it against the row and go on.
            WriteError(ErrorFor(e, "InvalidPredictionRow", row));
        }
    }
}
