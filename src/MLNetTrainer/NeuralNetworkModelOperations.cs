using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetNN.IO;
using MLNetNN.Serialization;
using MLNetNN.Training;

namespace MLNetNN.MLNet;

/// <summary>
/// Saving and loading pipelines that contain a <see cref="NeuralNetworkTransformer"/> with the engine itself:
/// <c>ml.Model.SaveWithNeuralNetwork</c> and <c>ml.Model.LoadWithNeuralNetwork</c>. Plain <c>ml.Model.Save</c> / <c>Load</c> carry
/// the network too, as ML.NET's OnnxTransformer (<see cref="OnnxModelSave"/>), readable without MLNetNN and scoring within 1e-5;
/// these keep the <see cref="NeuralNetworkTransformer"/> (its model, history and training facts) and score bit for bit as trained.
/// </summary>
/// <remarks>
/// The file is a zip archive: a manifest (<c>mlnetnn-pipeline.json</c>), the input schema, and the pipeline flattened into
/// parts in order: each run of ML.NET transformers as one of ML.NET's own model files (written by <c>ml.Model.Save</c>), each
/// network as the engine's model file (docs/model-format.md) with its column settings and, for multiclass, the label's key
/// values. Loading rebuilds a <c>TransformerChain</c> of the same transformers, so predictions are identical; nested chains
/// come back flattened. A failed save leaves the caller's file or stream as it was: a file is written under a temporary name and
/// renamed once complete, and a stream receives the archive only once it has been built. One pipeline saved twice gives the same
/// bytes: every entry, of the archive and of the ML.NET model files in it, is stamped with one fixed time.
/// Plain <c>ml.Model.Load</c> rejects the file (it is not one of ML.NET's model files), so it cannot be half-loaded by mistake.
/// </remarks>
public static class NeuralNetworkModelOperations
{
    private const string ManifestEntry = "mlnetnn-pipeline.json";
    private const string InputSchemaEntry = "input-schema.mlnet";
    private const string FormatName = "MLNetNN ML.NET pipeline";
    private const int FormatVersion = 1;
    private const string LabelColumn = "Label";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Saves <paramref name="model"/> (any pipeline, with or without networks) and its input schema to one file, atomically.</summary>
    /// <param name="catalog">The model operations catalog (<c>ml.Model</c>).</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads (<c>data.Schema</c>); may be null as with <c>ml.Model.Save</c>.</param>
    /// <param name="filePath">The file to write; replaced if it exists.</param>
    public static void SaveWithNeuralNetwork(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        // As the engine's model files: an existing file keeps its permissions, a symbolic link stays one, any name the system
        // allows can be saved, and the message of a failure names this file, not the temporary one.
        AtomicFile.Write(filePath, stream => WriteArchive(catalog, model, inputSchema, stream), "the pipeline");
    }

    /// <summary>Saves <paramref name="model"/> and its input schema to <paramref name="stream"/>.</summary>
    /// <param name="catalog">The model operations catalog (<c>ml.Model</c>).</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads; may be null.</param>
    /// <param name="stream">A writable stream; left open. It is written to only once the whole pipeline has been saved, so a
    /// pipeline that fails to save leaves it as it was.</param>
    public static void SaveWithNeuralNetwork(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        // The archive is built aside: a transformer that cannot be saved is found before the caller's stream is touched.
        using var buffer = new MemoryStream();
        WriteArchive(catalog, model, inputSchema, buffer);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    private static void WriteArchive(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        var manifest = new Manifest { Format = FormatName, Version = FormatVersion };
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        if (inputSchema is not null)
            Write(archive, InputSchemaEntry, s => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, s), mlnetFile: true);

        var schema = inputSchema;
        var run = new List<ITransformer>();
        void Flush()
        {
            if (run.Count == 0) return;
            var chain = new TransformerChain<ITransformer>(run.ToArray());
            string entry = $"part-{manifest.Parts.Count:D3}.mlnet";
            Write(archive, entry, s => catalog.Save(chain, schema, s), mlnetFile: true);
            manifest.Parts.Add(new Part { Kind = "mlnet", Entry = entry });
            if (schema is not null) schema = chain.GetOutputSchema(schema);
            run.Clear();
        }
        foreach (var transformer in Flatten(model))
        {
            if (transformer is not NeuralNetworkTransformer network)
            {
                run.Add(transformer);
                continue;
            }
            Flush();
            string entry = $"part-{manifest.Parts.Count:D3}.nn";
            Write(archive, entry, s => ModelFile.Save(network.Model, s));
            string? labels = null;
            if (network.LabelKeyValues is { } keyValues)
            {
                // The key values may be of any type; ML.NET's schema serialisation stores them faithfully.
                labels = $"part-{manifest.Parts.Count:D3}.labels.mlnet";
                var builder = new DataViewSchema.Builder();
                builder.AddColumn(LabelColumn, new KeyDataViewType(typeof(uint), network.ClassCount), keyValues);
                Write(archive, labels, s => catalog.Save(new TransformerChain<ITransformer>(), builder.ToSchema(), s), mlnetFile: true);
            }
            var facts = network.Facts;
            manifest.Parts.Add(new Part
            {
                Kind = "network", Entry = entry, LabelKeyValues = labels, FeatureColumn = network.FeatureColumnName,
                StopReason = facts.StopReason, Message = facts.Message, RowsUsed = facts.RowsUsed, RowsSkipped = facts.RowsSkipped,
            });
            if (schema is not null) schema = network.GetOutputSchema(schema);
        }
        Flush();
        Write(archive, ManifestEntry, s => JsonSerializer.Serialize(s, manifest, Json));
    }

    /// <summary>Loads a pipeline saved by <c>SaveWithNeuralNetwork</c> (or a plain ML.NET model file) and its input schema.</summary>
    /// <param name="catalog">The model operations catalog (<c>ml.Model</c>).</param>
    /// <param name="filePath">The file to read.</param>
    /// <param name="inputSchema">The schema the pipeline was saved with, or null if none was.</param>
    /// <exception cref="InvalidDataException">The file is neither such a pipeline nor an ML.NET model, or lacks a part.</exception>
    /// <exception cref="ModelFormatException">A network's part is truncated or corrupted.</exception>
    public static ITransformer LoadWithNeuralNetwork(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema? inputSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        using var stream = File.OpenRead(filePath);
        return Load(catalog, stream, filePath, out inputSchema);
    }

    /// <summary>Loads a pipeline saved by <c>SaveWithNeuralNetwork</c> (or a plain ML.NET model) from a readable, seekable stream.</summary>
    /// <param name="catalog">The model operations catalog (<c>ml.Model</c>).</param>
    /// <param name="stream">The stream to read; left open.</param>
    /// <param name="inputSchema">The schema the pipeline was saved with, or null if none was.</param>
    public static ITransformer LoadWithNeuralNetwork(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema? inputSchema) =>
        Load(catalog, stream, "the stream", out inputSchema);

    private static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, string source, out DataViewSchema? inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        long start = stream.Position;
        Manifest? manifest;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var entry = archive.GetEntry(ManifestEntry);
            manifest = entry is null ? null : JsonSerializer.Deserialize<Manifest>(entry.Open(), Json);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"{source} is not a model file: {e.Message}", e);
        }
        using (archive)
        {
            if (manifest is null)
            {
                // Not ours: an ordinary ML.NET model file, which ML.NET itself loads.
                archive.Dispose();
                stream.Position = start;
                return catalog.Load(stream, out inputSchema);
            }
            if (manifest.Format != FormatName || manifest.Version is < 1 or > FormatVersion)
                throw new InvalidDataException($"{source} is a '{manifest.Format}' file of version {manifest.Version}; this MLNetNN reads '{FormatName}' versions 1 to {FormatVersion}.");

            inputSchema = null;
            if (archive.GetEntry(InputSchemaEntry) is not null)
                catalog.Load(Read(archive, InputSchemaEntry, source), out inputSchema);
            var parts = new List<ITransformer>();
            foreach (var part in manifest.Parts)
            {
                if (part.Kind == "mlnet")
                {
                    parts.Add(catalog.Load(Read(archive, part.Entry, source), out _));
                    continue;
                }
                if (part.Kind != "network" || part.FeatureColumn is null || part.Message is null)
                    throw new InvalidDataException($"{source}: part '{part.Entry}' is of unknown kind '{part.Kind}' or lacks its settings.");
                var model = ModelFile.Load(Read(archive, part.Entry, source), $"{source} ({part.Entry})");
                DataViewSchema.Annotations? keyValues = null;
                if (part.LabelKeyValues is not null)
                {
                    catalog.Load(Read(archive, part.LabelKeyValues, source), out var labels);
                    keyValues = labels?.GetColumnOrNull(LabelColumn)?.Annotations
                        ?? throw new InvalidDataException($"{source}: part '{part.LabelKeyValues}' lacks the label's key values.");
                }
                parts.Add(new NeuralNetworkTransformer(model, part.FeatureColumn, keyValues,
                    new TrainingFacts(part.StopReason, part.Message, part.RowsUsed, part.RowsSkipped)));
            }
            return new TransformerChain<ITransformer>(parts.ToArray());
        }
    }

    /// <summary>The transformers of a pipeline in order, nested chains opened up.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer model) => model switch
    {
        NeuralNetworkTransformer => [model],
        IEnumerable<ITransformer> chain => chain.SelectMany(Flatten),
        _ => [model],
    };

    /// <summary>
    /// The time every entry of the archive, and of the ML.NET model files in it, is stamped with, where ZipArchive and ML.NET
    /// stamp the time of saving: one pipeline saved twice then gives the same bytes, which users can compare and cache. A day
    /// into the zip format's first year, so no time zone takes it out of the format's range.
    /// </summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes an entry through a seekable buffer, since ML.NET's savers need to seek. <paramref name="mlnetFile"/>: the content
    /// is one of ML.NET's model files (a zip), whose entries are stamped <see cref="EntryTime"/> instead of the time of saving.
    /// </summary>
    private static void Write(ZipArchive archive, string name, Action<Stream> write, bool mlnetFile = false)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        using var restamped = mlnetFile ? Restamped(buffer) : null;
        var content = restamped ?? buffer;
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var target = entry.Open();
        content.Position = 0;
        content.CopyTo(target);
    }

    /// <summary>The zip in <paramref name="zip"/> with the same entries, in the same order, each stamped <see cref="EntryTime"/>.</summary>
    private static MemoryStream Restamped(MemoryStream zip)
    {
        var restamped = new MemoryStream();
        zip.Position = 0;
        using var from = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        using (var to = new ZipArchive(restamped, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in from.Entries)
            {
                var copy = to.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = EntryTime;
                using var input = entry.Open();
                using var output = copy.Open();
                input.CopyTo(output);
            }
        }
        return restamped;
    }

    /// <summary>An entry's bytes as a seekable stream, since ML.NET's loaders need to seek.</summary>
    private static MemoryStream Read(ZipArchive archive, string name, string source)
    {
        var entry = archive.GetEntry(name) ?? throw new InvalidDataException($"{source} lacks its part '{name}'.");
        var buffer = new MemoryStream();
        using (var data = entry.Open()) data.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    private sealed class Manifest
    {
        public string? Format { get; set; }
        public int Version { get; set; }
        public List<Part> Parts { get; set; } = [];
    }

    private sealed class Part
    {
        public string Kind { get; set; } = "";
        public string Entry { get; set; } = "";
        public string? FeatureColumn { get; set; }
        public string? LabelKeyValues { get; set; }
        public StopReason StopReason { get; set; }
        public string? Message { get; set; }
        public long RowsUsed { get; set; }
        public long RowsSkipped { get; set; }
    }
}
