using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetNN.Layers;

/// <summary>Writes a shape as its text form (<c>"784"</c>, <c>"28x28x1"</c>) and reads it back.</summary>
internal sealed class LayerShapeJsonConverter : JsonConverter<LayerShape>
{
    public override LayerShape Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"a shape is written as text such as \"28x28x1\"; found a {reader.TokenType}.");
        try
        {
            return LayerShape.Parse(reader.GetString()!);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, LayerShape value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
