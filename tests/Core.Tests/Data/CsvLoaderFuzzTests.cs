using System.Text;
using MLNetNN.Data;
using Xunit;

namespace MLNetNN.Tests.Data;

/// <summary>
/// Seeded random files for <see cref="CsvLoader"/>: valid tables, the same tables damaged, and byte soup built from the
/// characters the parser cares about (separators, quotes, line breaks, signs, exponents, NaN, byte-order marks, bytes that are
/// not UTF-8). Whatever the bytes and options, loading either succeeds with finite values or throws a
/// <see cref="CsvFormatException"/> naming the file, with a message of bounded length.
/// </summary>
public sealed class CsvLoaderFuzzTests : IDisposable
{
    private const int Cases = 3000;

    private static readonly string[] Tokens =
    [
        ",", ",", ",", ";", "\t", "\"", "\"\"", "\n", "\n", "\r\n", "\r", " ", "1", "2.5", "-3e7", "1e39", "-", ".", "e", "NaN",
        "Infinity", "∞", "x", "label", "y", "w", "a", "café", "\uFEFF", "\u0000", "😀", "0x1F", "1,5", "1_000",
    ];

    private static readonly byte[][] RawBytes = [[0xE9], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0xFF, 0xFE], [0xED, 0xA0, 0x80]];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mlnetnn-csvfuzz-" + Guid.NewGuid().ToString("N"));

    public CsvLoaderFuzzTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Random_and_damaged_files_raise_only_CsvFormatException_naming_the_file()
    {
        var random = new Random(20261203);
        string path = Path.Combine(_folder, "fuzz.csv");
        int loaded = 0, refused = 0;

        for (int i = 0; i < Cases; i++)
        {
            File.WriteAllBytes(path, (i % 3) switch
            {
                0 => Table(random),
                1 => Damage(Table(random), random),
                _ => Soup(random),
            });
            var kind = random.Next(2) == 0 ? LabelKind.Classification : LabelKind.Regression;
            var options = new CsvReadOptions
            {
                Separator = random.Next(4) == 0 ? ';' : ',',
                HasHeader = random.Next(5) != 0,
                WeightColumn = random.Next(4) == 0 ? "w" : null,
                Encoding = random.Next(6) == 0 ? Encoding.Latin1 : null,
            };
            string label = options.HasHeader ? "label" : "Column0";
            try
            {
                if (random.Next(8) == 0)
                {
                    Assert.NotEmpty(CsvLoader.ReadHeader(path, options));
                }
                else
                {
                    Dataset data = CsvLoader.Load(path, label, kind, options);
                    Assert.All(data.Features, v => Assert.True(float.IsFinite(v)));
                }
                loaded++;
            }
            catch (CsvFormatException e)
            {
                Assert.Equal(path, e.SourceName);
                Assert.StartsWith(path, e.Message);
                Assert.True(e.Message.Length < 2000, $"case {i}: a message of {e.Message.Length} characters");
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
            }
        }

        // Both outcomes must be common, or the generator tests only one path.
        Assert.InRange(loaded, Cases / 10, Cases);
        Assert.InRange(refused, Cases / 4, Cases);
    }

    /// <summary>A valid table with a header x0.., label, w (weights ≥ 0), mostly numeric values, some quoted.</summary>
    private static byte[] Table(Random random)
    {
        int columns = random.Next(1, 5), rows = random.Next(1, 30);
        var text = new StringBuilder();
        text.AppendJoin(',', Enumerable.Range(0, columns).Select(j => $"x{j}").Append("label").Append("w")).Append('\n');
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                string value = (random.NextDouble() * 200 - 100).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                text.Append(random.Next(5) == 0 ? $"\"{value}\"" : value).Append(',');
            }
            text.Append(random.Next(3)).Append(',').Append(random.Next(4)).Append(random.Next(2) == 0 ? "\n" : "\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The table with one to four bytes changed, removed or inserted, or raw non-UTF-8 bytes spliced in.</summary>
    private static byte[] Damage(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        for (int m = random.Next(1, 5); m > 0; m--)
        {
            int at = random.Next(bytes.Count + 1);
            switch (random.Next(4))
            {
                case 0 when at < bytes.Count: bytes[at] = (byte)random.Next(256); break;
                case 1 when at < bytes.Count: bytes.RemoveAt(at); break;
                case 2: bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)])); break;
                default: bytes.InsertRange(at, RawBytes[random.Next(RawBytes.Length)]); break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>Up to 200 tokens and raw bytes in random order, half the time after a plausible header.</summary>
    private static byte[] Soup(Random random)
    {
        var bytes = new List<byte>(random.Next(2) == 0 ? Encoding.UTF8.GetBytes("x,label,w\n") : []);
        for (int n = random.Next(200); n > 0; n--)
        {
            bytes.AddRange(random.Next(10) == 0
                ? RawBytes[random.Next(RawBytes.Length)]
                : Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
        }
        return bytes.ToArray();
    }
}
