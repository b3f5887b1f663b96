using System.Collections.ObjectModel;
using System.Management.Automation;
using MLNetNN.PowerShell.Data;
using MLNetNN.PowerShell.Output;

namespace MLNetNN.PowerShell.Cmdlets;

/// <summary>
/// The rows of one Invoke-NeuralNetPrediction run: reads each row's features into the batch and, once the batch is predicted,
/// gives the row back as a new object with the row's members in their order and then the prediction's properties (a member
/// named like one of those is replaced by it), so the caller's objects are left as they were. A dictionary becomes a
/// [pscustomobject] with its entries as properties.
/// </summary>
/// <remarks>
/// <para>
/// This is the cmdlet's cost per row, so it avoids what costs more than the prediction itself: <see cref="PSObject.Copy"/>
/// (which re-checks every member against the type table), listing a row's members (which makes PowerShell build its hidden
/// member sets on every row), looking up names a row does not have (which searches the type table and the adapter), and
/// objects and type names kept in PowerShell's weak tables (what <c>new PSObject()</c> and changing
/// <see cref="PSObject.TypeNames"/> do; see <see cref="PSObjectInternals"/>).
/// </para>
/// <para>
/// So a [pscustomobject] row (what Import-Csv and most scripts make) is read by its <em>shape</em>: the names of the properties
/// added to it, listed once from the first row. Each later row has its properties looked up by those names, which finds
/// properties added to the object itself quickly, and they go onto the new object unchecked, since they passed the checks
/// when they went onto the row. A row is of the shape when it has a property of each name and as many members in all, so
/// none is left behind (PowerShell keeps that count but does not publish it). Rows with members other than properties (a
/// ScriptMethod), .NET objects and dictionaries, and every row where <see cref="PSObjectInternals.Available"/> is null, are
/// copied the general way (<see cref="PSObjectRows"/>): right, but several times slower. A row with the shape's properties
/// in another order comes out in the shape's order, as Export-Csv and Format-Table show it anyway. Not thread-safe: one
/// instance per run.
/// </para>
/// </remarks>
internal sealed class PredictionRows
{
    private readonly IReadOnlyList<string> _features;
    private readonly PredictionBatch _batch;
    private readonly string _typeName;
    private readonly bool _owned;
    private readonly HashSet<string> _predictionNames;
    private readonly List<Pending> _pending;
    private readonly List<PSPropertyInfo> _members = new();
    private readonly PSObjectInternals? _internals = PSObjectInternals.Available;
    private Shape? _shape;
    private Collection<string>? _inputTypeNames, _outputTypeNames;

    /// <param name="features">The model's features, in the order the batch takes them.</param>
    /// <param name="batch">The batch the rows' features go into and their predictions come from.</param>
    /// <param name="typeName">The type name the returned rows carry first, which selects their table view.</param>
    /// <param name="owned">Whether the rows are the caller's own objects (rows read from a file), which then take the prediction without a copy.</param>
    public PredictionRows(IReadOnlyList<string> features, PredictionBatch batch, string typeName, bool owned)
    {
        _features = features;
        _batch = batch;
        _typeName = typeName;
        _owned = owned;
        _predictionNames = new HashSet<string>(batch.PropertyNames, StringComparer.OrdinalIgnoreCase);
        _pending = new List<Pending>(batch.Capacity);
    }

    /// <summary>Rows read and not yet returned.</summary>
    public int Count => _pending.Count;

    /// <summary>
    /// Reads the features of row <paramref name="number"/> (1-based, in pipeline order) into the batch as its next row, and
    /// keeps the row to return after <see cref="PredictionBatch.Predict"/>.
    /// </summary>
    /// <exception cref="RowFormatException">The row lacks a feature or holds a value that is not a number; the batch and the rows kept are left as they were.</exception>
    public void Read(PSObject row, int number)
    {
        var values = _batch.NextRow();
        int start = _members.Count;
        if (!IsOfShape(row))
        {
            PSObjectRows.ReadFeatures(row, _features, values, number);
            _batch.Commit();
            _pending.Add(new Pending(row, null, 0));
            return;
        }
        try
        {
            for (int j = 0; j < _features.Count; j++)
            {
                int member = _shape!.FeatureMembers[j];
                var property = member >= 0 ? _members[start + member] : row.Properties[_features[j]];
                if (property is null || !property.IsGettable) throw RowValues.MissingFeature(number, _features[j], _features);
                values[j] = RowValues.ToFeature(PSObjectRows.Unwrap(property.Value), number, _features[j]);
            }
        }
        catch (RowFormatException)
        {
            _members.RemoveRange(start, _members.Count - start);
            throw;
        }
        _batch.Commit();
        _pending.Add(new Pending(row, _shape, start));
    }

    /// <summary>
    /// Whether <paramref name="row"/> is a [pscustomobject] of the current shape, or of a shape listed from it now, whose
    /// members are all properties; if so keeps them.
    /// </summary>
    private bool IsOfShape(PSObject row)
    {
        if (row.ImmediateBaseObject is not PSCustomObject || _internals is null) return false;
        int start = _members.Count;
        if (_shape is null || !TryLookUp(row, _shape))
        {
            _shape = Shape.Of(row, _internals.VisibleInstanceMemberCount(row), _features, _predictionNames);
            if (!TryLookUp(row, _shape)) return false;
        }
        if (_shape.PropertiesOnly) return true;
        // A row with members other than properties (a ScriptMethod) is copied the general way, which keeps them.
        _members.RemoveRange(start, _members.Count - start);
        return false;
    }

    /// <summary>Row <paramref name="index"/> of those read since <see cref="Clear"/>, with its prediction from the batch.</summary>
    public PSObject Result(int index)
    {
        var (row, shape, start) = _pending[index];
        if (shape is null) return PSObjectRows.Merge(row, _batch, index, _typeName, _owned);
        var names = _batch.PropertyNames;
        PSObject result;
        if (_owned)
        {
            result = row;
            for (int m = 0; m < shape.Names.Length; m++)
                if (shape.Replaced[m]) row.Properties.Remove(shape.Names[m]);
        }
        else
        {
            result = _internals!.NewObject(shape.Names.Length + names.Count);
            var copies = result.Properties;
            for (int m = 0; m < shape.Names.Length; m++)
                if (!shape.Replaced[m]) copies.Add(_members[start + m], preValidated: true);   // Add copies the member
        }
        var properties = result.Properties;
        for (int p = 0; p < names.Count; p++) properties.Add(new PSNoteProperty(names[p], _batch.Value(index, p)), preValidated: true);
        _internals!.SetTypeNames(result, OutputTypeNames(_internals.TypeNames(row)));
        return result;
    }

    /// <summary>
    /// The prediction's type name and then <paramref name="typeNames"/>, the row's (those of a plain [pscustomobject], or
    /// those it was given: a PSTypeName, Import-Csv's #TYPE line), shared by the rows of the same type names, read-only.
    /// </summary>
    private Collection<string> OutputTypeNames(Collection<string> typeNames)
    {
        if (ReferenceEquals(typeNames, _inputTypeNames) || (_inputTypeNames is not null && typeNames.SequenceEqual(_inputTypeNames, StringComparer.Ordinal)))
            return _outputTypeNames!;
        _outputTypeNames = _internals!.ReadOnlyTypeNames([_typeName, .. typeNames]);
        _inputTypeNames = typeNames;
        return _outputTypeNames;
    }

    /// <summary>Forgets the rows read, once they are returned.</summary>
    public void Clear()
    {
        _pending.Clear();
        _members.Clear();
    }

    /// <summary>
    /// Looks up the properties of <paramref name="row"/> by the names of <paramref name="shape"/>, appending them to those
    /// kept, if the row is of that shape (as many members, and a property of each name); otherwise leaves those kept as they were.
    /// </summary>
    private bool TryLookUp(PSObject row, Shape shape)
    {
        if (_internals!.VisibleInstanceMemberCount(row) != shape.MemberCount) return false;
        var members = _internals.InstanceMembers(row);
        int start = _members.Count;
        foreach (string name in shape.Names)
        {
            if (members[name] is not PSPropertyInfo member)
            {
                _members.RemoveRange(start, _members.Count - start);
                return false;
            }
            _members.Add(member);
        }
        return true;
    }

    /// <summary>The names of the properties added to a [pscustomobject] row, and what each is to the prediction.</summary>
    private sealed class Shape
    {
        private Shape(string[] names, int memberCount, int[] featureMembers, bool[] replaced)
        {
            Names = names;
            MemberCount = memberCount;
            FeatureMembers = featureMembers;
            Replaced = replaced;
        }

        /// <summary>The names of the row's properties, in order.</summary>
        public string[] Names { get; }

        /// <summary>The count of the row's members, properties or not (PowerShell's hidden ones aside).</summary>
        public int MemberCount { get; }

        /// <summary>Whether the row's members are all properties, which <see cref="Names"/> then lists in full.</summary>
        public bool PropertiesOnly => MemberCount == Names.Length;

        /// <summary>For each feature, the index of its property in <see cref="Names"/>, or -1 to look it up among the properties the row gets from elsewhere (the type table).</summary>
        public int[] FeatureMembers { get; }

        /// <summary>For each property, whether a prediction's property of its name replaces it.</summary>
        public bool[] Replaced { get; }

        /// <summary>The shape of <paramref name="row"/>, which has <paramref name="memberCount"/> members, by listing its properties: what costs, so it is done once per shape.</summary>
        public static Shape Of(PSObject row, int memberCount, IReadOnlyList<string> features, HashSet<string> predictionNames)
        {
            var names = new List<string>();
            foreach (var property in row.Properties)
                if (property.IsInstance) names.Add(property.Name);
            var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int m = 0; m < names.Count; m++) index[names[m]] = m;
            var featureMembers = new int[features.Count];
            for (int j = 0; j < features.Count; j++) featureMembers[j] = index.TryGetValue(features[j], out int m) ? m : -1;
            var replaced = new bool[names.Count];
            for (int m = 0; m < names.Count; m++) replaced[m] = predictionNames.Contains(names[m]);
            return new Shape([.. names], memberCount, featureMembers, replaced);
        }
    }

    /// <summary>A row read: the row, its shape (null for one copied the general way), and where its members start among those kept.</summary>
    private readonly record struct Pending(PSObject Row, Shape? Shape, int Start);
}
