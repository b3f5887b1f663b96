// Usage: MLNetNN.MLNet.LoadCheck <pipeline file> <data in ML.NET binary format> <column>
// Loads the pipeline in a fresh MLContext, transforms the data and prints the column's values, one row per line, round-trip exact.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.MLNet;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: MLNetNN.MLNet.LoadCheck <pipeline file> <binary data file> <column>");
    return 2;
}
var ml = new MLContext();
var model = ml.Model.LoadWithNeuralNetwork(args[0], out _);
var scored = model.Transform(ml.Data.LoadFromBinary(args[1]));
var column = scored.Schema[args[2]];
using var cursor = scored.GetRowCursor([column]);
var values = new VBuffer<float>();
ValueGetter<VBuffer<float>> read = column.Type is VectorDataViewType ? cursor.GetGetter<VBuffer<float>>(column) : Scalar(cursor.GetGetter<float>(column));
while (cursor.MoveNext())
{
    read(ref values);
    Console.WriteLine(string.Join(' ', values.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
}
return 0;

static ValueGetter<VBuffer<float>> Scalar(ValueGetter<float> getter) => (ref VBuffer<float> dst) =>
{
    float v = 0;
    getter(ref v);
    dst = new VBuffer<float>(1, [v]);
};
