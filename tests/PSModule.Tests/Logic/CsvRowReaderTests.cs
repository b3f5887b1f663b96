using MLNetNN.Data;

namespace MLNetNN.PowerShell.Tests.Logic;

/// <summary>Core's streaming CSV reader, which <c>Invoke-NeuralNetPrediction -Path</c> reads files with.</summary>
public class CsvRowReaderTests
{
    private static string Write(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlnetnn-rows-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_the_header_then_one_record_at_a_time_with_its_line()
    {
        string path = Write("a,b,c\n1,\"two, quoted\",3\n\n4,5\n6,7,8,9\n");
        try
        {
            using var reader = CsvRowReader.Open(path);
            Assert.Equal(["a", "b", "c"], reader.Columns);
            var fields = new List<string>();
            Assert.True(reader.TryRead(fields));
            Assert.Equal(["1", "two, quoted", "3"], fields);
            Assert.Equal(2, reader.Line);
            Assert.True(reader.TryRead(fields));
            Assert.Equal(["4", "5"], fields);   // short and long records are the caller's to judge
            Assert.Equal(4, reader.Line);
            Assert.True(reader.TryRead(fields));
            Assert.Equal(4, fields.Count);
            Assert.False(reader.TryRead(fields));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Without_a_header_the_first_record_is_data_and_columns_are_numbered()
    {
        string path = Write("1,2\n3,4\n");
        try
        {
            using var reader = CsvRowReader.Open(path, new CsvReadOptions { HasHeader = false });
            Assert.Equal(["Column0", "Column1"], reader.Columns);
            var fields = new List<string>();
            Assert.True(reader.TryRead(fields));
            Assert.Equal(["1", "2"], fields);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("a,a\n1,2\n", "the column name appears twice")]
    [InlineData("a,,c\n1,2,3\n", "header field 2 is empty")]
    public void A_bad_header_is_refused_as_the_loader_refuses_it(string text, string problem)
    {
        string path = Write(text);
        try
        {
            var e = Assert.Throws<CsvFormatException>(() => CsvRowReader.Open(path));
            Assert.Contains(problem, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Ten_thousand_seeded_mutations_give_records_or_a_csv_format_error_and_nothing_else()
    {
        var random = new Random(2026);
        string seed = File.ReadAllText(TestRows.IrisPath)[..2000];
        const string alphabet = ",\"\n\r ;x0.5é\uFEFF";
        string path = Path.Combine(Path.GetTempPath(), $"mlnetnn-fuzz-{Guid.NewGuid():N}.csv");
        try
        {
            for (int i = 0; i < 10_000; i++)
            {
                var text = seed.ToCharArray().ToList();
                for (int m = random.Next(1, 8); m > 0; m--)
                {
                    int at = random.Next(text.Count);
                    switch (random.Next(3))
                    {
                        case 0: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                        case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                        default: text.RemoveAt(at); break;
                    }
                }
                File.WriteAllText(path, new string(text.ToArray()));
                try
                {
                    using var reader = CsvRowReader.Open(path);
                    var fields = new List<string>();
                    int lastLine = 0;
                    while (reader.TryRead(fields))
                    {
                        Assert.True(reader.Line > lastLine);
                        lastLine = reader.Line;
                    }
                }
                catch (CsvFormatException e)
                {
                    Assert.Equal(path, e.SourceName);
                }
            }
        }
        finally { File.Delete(path); }
    }
}
