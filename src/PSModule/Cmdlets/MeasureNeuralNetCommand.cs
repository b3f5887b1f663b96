using System.Management.Automation;
using MLNetNN.Data;
using MLNetNN.Metrics;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Measures a model on labelled rows: accuracy, log-loss, per-class F1 and the confusion matrix, or RMSE, MAE and R².</para>
/// </summary>
/// <remarks>
/// Either the model is piped (<c>$model | Measure-NeuralNet -Data $rows</c> or <c>-Path</c>) or, as with Invoke-NeuralNetPrediction,
/// the rows are (<c>$rows | Measure-NeuralNet -Model $model</c>): then they are gathered and measured together at the end.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Measure, "NeuralNet", DefaultParameterSetName = DataSet)]
[OutputType(typeof(ClassificationMetrics), typeof(RegressionMetrics))]
public sealed class MeasureNeuralNetCommand : NeuralNetCmdlet
{
    private const string DataSet = "Data", PathSet = "Path", InputObjectSet = "InputObject";

    private readonly List<PSObject> _pipedRows = [];

    /// <summary>The trained model: piped with -Data or -Path, named when the rows are piped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = DataSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public NeuralNetModel Model { get; set; } = null!;

    /// <summary>Labelled rows (objects) to measure on, e.g. a held-out part of Import-Csv's output.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DataSet)]
    [ValidateNotNullOrEmpty]
    public PSObject[] Data { get; set; } = null!;

    /// <summary>A labelled CSV file to measure on.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>One labelled row from the pipeline; all of them are measured together once the pipeline ends.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>The label column; the one the model was trained on when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Label { get; set; } = null!;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet) _pipedRows.Add(InputObject);
        else Measure(ParameterSetName == DataSet ? Data : null);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (ParameterSetName == InputObjectSet) Measure(_pipedRows);
    }

    /// <summary>Measures <see cref="Model"/> on <paramref name="rows"/>, or on the file at <see cref="Path"/> when they are null.</summary>
    private void Measure(IReadOnlyList<PSObject>? rows)
    {
        try
        {
            string label = LabelFor(Model, Label);
            Dataset data = rows is null
                ? ReadCsv(Path, label, Model.Model.IsClassifier ? LabelKind.Classification : LabelKind.Regression, Model.Features, Model.Classes)
                : ReadRows(rows, label, Model);
            WriteObject(Model.Model.IsClassifier ? Model.Model.EvaluateClassification(data) : Model.Model.EvaluateRegression(data));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or ItemNotFoundException)
        {
            WriteError(ErrorFor(e, "MeasureFailed", e is RowFormatException r && rows is not null ? rows[r.Row - 1] : Model));
        }
    }
}
