using System.Text;
using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

/// <summary>How <see cref="CsvLoader"/> decodes files: strict UTF-8 by default, an encoding on request, one byte-order mark.</summary>
public sealed class CsvEncodingTests : IDisposable
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetnn-csvenc-" + Guid.NewGuid().ToString("N"));

    public CsvEncodingTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, params byte[][] parts)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    [Fact]
    public void Latin1_bytes_are_refused_naming_the_line_instead_of_merging_cafe_and_cafe_grave()
    {
        string path = Write("latin1.csv", Latin1("x,label\n1,café\n2,cafè\n"));

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.Load(path, "label", LabelKind.Classification));

        Assert.Equal(2, error.Line);
        Assert.Equal($"{path}, line 2: byte 0xE9 (at byte offset 13) is not valid UTF-8. If the file is in another encoding, " +
            "e.g. Latin-1 or Windows-1252 as older Excel versions save, give it as CsvReadOptions.Encoding.", error.Message);
    }

    [Fact]
    public void The_row_reader_decodes_as_the_loader_does_refusing_latin1_unless_it_is_named()
    {
        string path = Write("latin1-rows.csv", Latin1("x,label\n1,café\n2,cafè\n"));
        var fields = new List<string>();

        var error = Assert.Throws<CsvFormatException>(() =>
        {
            using var strict = CsvRowReader.Open(path);
            while (strict.TryRead(fields)) { }
        });
        Assert.Equal(2, error.Line);

        using var named = CsvRowReader.Open(path, new CsvReadOptions { Encoding = Encoding.Latin1 });
        var labels = new List<string>();
        while (named.TryRead(fields)) labels.Add(fields[1]);
        Assert.Equal(["café", "cafè"], labels);
    }

    [Fact]
    public void The_line_of_a_bad_byte_is_exact_even_far_beyond_the_decoders_buffer()
    {
        // The decoder reads kilobytes ahead of the line being parsed; the error must still name the line the byte is on,
        // counting \r\n, \r and \n breaks the way the parser does.
        var text = new StringBuilder("x,label\r\n");
        for (int i = 0; i < 2998; i++) text.Append(i % 2 == 0 ? $"{i},a\n" : $"{i},b\r");
        string path = Write("late.csv", Encoding.UTF8.GetBytes(text.ToString()), Latin1("3,é\n4,a\n"));

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.Load(path, "label", LabelKind.Classification));

        Assert.Equal(3000, error.Line);
        Assert.Contains("byte 0xE9", error.Message);
    }

    [Fact]
    public void ReadHeader_refuses_invalid_UTF8_too()
    {
        string path = Write("header.csv", Latin1("größe,label\n1,a\n"));

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.ReadHeader(path));

        Assert.Equal(1, error.Line);
        Assert.Contains("byte 0xF6", error.Message);
    }

    [Fact]
    public void An_Encoding_option_reads_Latin1_labels_as_two_classes()
    {
        string path = Write("latin1.csv", Latin1("x,label\n1,café\n2,cafè\n3,café\n"));

        Dataset data = CsvLoader.Load(path, "label", LabelKind.Classification, new CsvReadOptions { Encoding = Encoding.Latin1 });

        Assert.Equal(["cafè", "café"], data.ClassNames);
        Assert.Equal([1f, 0f, 1f], data.Labels);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_removed_and_UTF16_is_recognised_by_its_mark()
    {
        string utf8 = Write("bom8.csv", Utf8Bom, Encoding.UTF8.GetBytes("a,y\n1,2\n"));
        string utf16 = Write("bom16.csv", Encoding.Unicode.GetPreamble(), Encoding.Unicode.GetBytes("a,ü\n1,2\n"));

        Assert.Equal(["a"], CsvLoader.Load(utf8, "y", LabelKind.Regression).FeatureNames);
        Assert.Equal(["a", "ü"], CsvLoader.ReadHeader(utf16));
    }

    [Fact]
    public void A_second_byte_order_mark_is_refused_rather_than_named_as_part_of_a_column()
    {
        string path = Write("bom2.csv", Utf8Bom, Utf8Bom, Encoding.UTF8.GetBytes("a,y\n1,2\n"));

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.Load(path, "y", LabelKind.Regression));

        Assert.Equal(1, error.Line);
        Assert.Contains("starts with a byte-order mark (U+FEFF) after the encoding's own", error.Message);
    }

    [Fact]
    public void A_byte_order_mark_left_in_a_readers_text_is_refused()
    {
        var error = Assert.Throws<CsvFormatException>(() =>
            CsvLoader.Load(new StringReader("\uFEFFa,y\n1,2\n"), "text.csv", "y", LabelKind.Regression));

        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_readers_decoding_failure_is_a_CsvFormatException_naming_the_source()
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        using var reader = new StreamReader(new MemoryStream(Latin1("a,y\n1,2\né,3\n")), strict);

        var error = Assert.Throws<CsvFormatException>(() => CsvLoader.Load(reader, "stream.csv", "y", LabelKind.Regression));

        Assert.StartsWith("stream.csv, line 1: the text cannot be decoded: bytes 0xE9 on this line or soon after", error.Message);
        Assert.IsType<DecoderFallbackException>(error.InnerException);
    }

    [Fact]
    public void A_ten_megabyte_value_is_cut_in_the_message_but_kept_whole_in_Value()
    {
        string huge = new string('7', 10_000_000) + "x";

        var error = Assert.Throws<CsvFormatException>(() =>
            CsvLoader.Load(new StringReader($"a,y\n{huge},1\n"), "big.csv", "y", LabelKind.Regression));

        Assert.Equal($"big.csv, line 2, column 'a': '{new string('7', 64)}…(10000001 chars)' is not a number.", error.Message);
        Assert.Equal(huge, error.Value);
    }

    [Fact]
    public void Long_column_names_and_class_lists_are_cut_in_messages()
    {
        string longName = new('n', 100_000);
        var classes = Enumerable.Range(0, 100_000).Select(i => $"class{i}").ToArray();

        var missing = Assert.Throws<CsvFormatException>(() =>
            CsvLoader.Load(new StringReader($"{longName},y\n1,2\n"), "t.csv", "label", LabelKind.Regression));
        var unknown = Assert.Throws<CsvFormatException>(() =>
            CsvLoader.Load(new StringReader($"a,{longName}\n1,other\n"), "t.csv", longName, LabelKind.Classification,
                new CsvReadOptions { ClassNames = classes }));

        Assert.InRange(missing.Message.Length, 100, 1000);
        Assert.InRange(unknown.Message.Length, 100, 1000);
        Assert.Contains("…(100000 chars)", unknown.Message);
    }
}
