using System.Management.Automation;
using MLNetNN.Data;
using MLNetNN.Metrics;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Measures a model on labelled rows: accuracy, log-loss, per-class F1 and the confusion matrix, or RMSE, MAE and R².</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "NeuralNet", DefaultParameterSetName = DataSet)]
[OutputType(typeof(ClassificationMetrics), typeof(RegressionMetrics))]
public sealed class MeasureNeuralNetCommand : NeuralNetCmdlet
{
    private const string DataSet = "Data", PathSet = "Path";

    /// <summary>The trained model.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
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

    /// <summary>The label column; the one the model was trained on when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Label { get; set; } = null!;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        try
        {
            string label = LabelFor(Model, Label);
            Dataset data = ParameterSetName == PathSet
                ? ReadCsv(Path, label, Model.Model.IsClassifier ? LabelKind.Classification : LabelKind.Regression, Model.Features, Model.Classes)
                : ReadRows(Data, label, Model);
            WriteObject(Model.Model.IsClassifier ? Model.Model.EvaluateClassification(data) : Model.Model.EvaluateRegression(data));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or ItemNotFoundException)
        {
            WriteError(ErrorFor(e, "MeasureFailed", e is RowFormatException r && ParameterSetName == DataSet ? Data[r.Row - 1] : Model));
        }
    }
}
