using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetNN.MLNet;

/// <summary>Schema checks with ML.NET's own wording, so errors read as they do for its built-in trainers.</summary>
internal static class SchemaErrors
{
    /// <summary>ML.NET's "Could not find {role} column '{name}'".</summary>
    public static ArgumentOutOfRangeException Missing(string paramName, string role, string column) =>
        new(paramName, $"Could not find {role} column '{column}'");

    /// <summary>ML.NET's "Schema mismatch for {role} column '{name}': expected {expected}, got {actual}".</summary>
    public static ArgumentOutOfRangeException Mismatch(string paramName, string role, string column, string expected, string actual) =>
        new(paramName, $"Schema mismatch for {role} column '{column}': expected {expected}, got {actual}");

    /// <summary>A shape column's type as ML.NET prints it (its own formatter is internal).</summary>
    public static string TypeString(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    /// <summary>The feature column of a concrete schema: a vector of Single of <paramref name="size"/> values (any known size when null).</summary>
    public static DataViewSchema.Column Features(DataViewSchema schema, string name, int? size, string paramName)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(paramName, "feature", name);
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } vector || n != NumberDataViewType.Single
            || (size is int expected && vector.Size != expected))
            throw Mismatch(paramName, "feature", name, size is int s ? $"{new VectorDataViewType(NumberDataViewType.Single, s)}" : "known-size Vector<Single>", $"{column.Type}");
        return column;
    }

    /// <summary>The optional weight column: a Single scalar.</summary>
    public static DataViewSchema.Column? Weight(DataViewSchema schema, string? name, string paramName)
    {
        if (name is null) return null;
        var column = schema.GetColumnOrNull(name) ?? throw Missing(paramName, "weight", name);
        if (column.Type != NumberDataViewType.Single) throw Mismatch(paramName, "weight", name, "Single", $"{column.Type}");
        return column;
    }
}
