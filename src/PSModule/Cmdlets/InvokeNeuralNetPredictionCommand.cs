using System.Management.Automation;
using MLNetNN.Data;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Predicts each row and returns it with the prediction added (PredictedLabel, Probability and Probability_&lt;class&gt;; or PredictedValue).</para>
/// </summary>
/// <remarks>
/// Rows are predicted in batches of <see cref="BatchRows"/> through the engine's batch path, which costs a fraction of one
/// call per row; each batch is written out as soon as it is predicted, so output still streams and memory stays flat.
/// </remarks>
[Cmdlet(VerbsLifecycle.Invoke, "NeuralNetPrediction", DefaultParameterSetName = InputObjectSet)]
[Alias("Invoke-Predict")]
[OutputType(typeof(PSObject))]
public sealed class InvokeNeuralNetPredictionCommand : NeuralNetCmdlet
{
    private const string InputObjectSet = "InputObject", PathSet = "Path";

    /// <summary>Rows predicted together: enough to make the per-call cost vanish, few enough that output follows input closely.</summary>
    internal const int BatchRows = 64;

    /// <summary>The type name predictions carry, which selects their table view.</summary>
    public const string ClassificationTypeName = "MLNetNN.Prediction", RegressionTypeName = "MLNetNN.RegressionPrediction";

    private PredictionBatch? _batch;
    private PredictionRows? _predictionRows;
    private int _rows;

    /// <summary>The trained model.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public NeuralNetModel Model { get; set; } = null!;

    /// <summary>A row with the model's feature columns; other columns are kept and ignored.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>A CSV file whose rows to predict, read a row at a time (the objects are those Import-Csv would give).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _batch = new PredictionBatch(Model.Model, BatchRows);
        // Rows read from -Path are the cmdlet's own objects: they take the prediction without a copy.
        _predictionRows = new PredictionRows(Model.Features, _batch, Model.Model.IsClassifier ? ClassificationTypeName : RegressionTypeName, owned: ParameterSetName == PathSet);
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet) Add(InputObject);
        else PredictFile();
    }

    /// <inheritdoc/>
    protected override void EndProcessing() => Flush();

    /// <summary>Reads one row's features into the batch, predicting the batch when it fills.</summary>
    private void Add(PSObject row)
    {
        int number = ++_rows;
        try
        {
            _predictionRows!.Read(row, number);
        }
        catch (RowFormatException e)
        {
            // One bad row does not spoil the others: report it against the row, after the rows before it, and go on.
            Flush();
            WriteError(ErrorFor(e, "InvalidPredictionRow", row));
            return;
        }
        if (_batch!.IsFull) Flush();
    }

    /// <summary>Predicts the rows gathered so far and writes them out.</summary>
    private void Flush()
    {
        if (_batch is null || _batch.Count == 0) return;
        _batch.Predict();
        for (int i = 0; i < _predictionRows!.Count; i++) WriteObject(_predictionRows.Result(i));
        _predictionRows.Clear();
        _batch.Clear();
    }

    /// <summary>
    /// Streams the file at <see cref="Path"/>: each record becomes an object with a text property per column, as Import-Csv
    /// makes (a short record's missing columns are null, a long record's extra fields are dropped), and goes through the
    /// same batches as piped rows, so memory stays flat however long the file is.
    /// </summary>
    private void PredictFile()
    {
        CsvRowReader reader;
        try
        {
            reader = CsvRowReader.Open(ResolveExistingFile(Path));
        }
        catch (Exception e) when (e is ArgumentException or IOException or ItemNotFoundException or CsvFormatException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ErrorFor(e, e is CsvFormatException ? "InvalidInputFile" : "InputFileNotFound", Path));
            return;
        }
        using (reader)
        {
            var columns = reader.Columns;
            var fields = new List<string>(columns.Count);
            while (true)
            {
                try
                {
                    if (!reader.TryRead(fields)) break;
                }
                catch (CsvFormatException e)
                {
                    // A broken quote leaves no way to know where the next record starts: stop after the rows before it.
                    Flush();
                    ThrowTerminatingError(ErrorFor(e, "InvalidInputFile", Path));
                    return;
                }
                var row = PSObjectInternals.Available?.NewObject(columns.Count + _batch!.PropertyNames.Count) ?? new PSObject();
                var properties = row.Properties;
                // As Import-Csv does: the first row's columns are checked (a name PowerShell reserves is refused), and then
                // every row has the same names, so the others go on unchecked, which costs much less.
                for (int c = 0; c < columns.Count; c++) properties.Add(new PSNoteProperty(columns[c], c < fields.Count ? fields[c] : null), preValidated: _rows > 0);
                Add(row);
            }
        }
    }
}
