using System.Globalization;
using System.Text;
using System.Xml;

namespace MLNetNN.Plotting;

/// <summary>
/// Builds SVG text. Every number and string goes through <see cref="Num"/> or <see cref="Escape"/>, so the output
/// is independent of the current culture and byte-identical for the same input.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _sb = new();

    /// <summary>The font stack; DejaVu Sans first because it is what Linux renderers (rsvg) have.</summary>
    private const string FontFamily = "DejaVu Sans, Arial, Helvetica, sans-serif";

    /// <summary>Renders a whole document of the given size.</summary>
    public static string Document(double width, double height, Action<Svg> body)
    {
        var svg = new Svg();
        svg._sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"), ("width", width), ("height", height),
            ("viewBox", $"0 0 {Num(width)} {Num(height)}"), ("font-family", FontFamily));
        svg.Empty("rect", ("width", width), ("height", height), ("fill", "#ffffff"));
        body(svg);
        svg.Close("svg");
        return svg._sb.ToString();
    }

    /// <summary>Writes the start tag of an element with children. Attributes with a null value are left out.</summary>
    public void Open(string tag, params (string Name, object? Value)[] attributes)
    {
        StartTag(tag, attributes);
        _sb.Append(">\n");
    }

    /// <summary>Writes an element without children.</summary>
    public void Empty(string tag, params (string Name, object? Value)[] attributes)
    {
        StartTag(tag, attributes);
        _sb.Append("/>\n");
    }

    /// <summary>Writes an end tag.</summary>
    public void Close(string tag) => _sb.Append("</").Append(tag).Append(">\n");

    /// <summary>Writes an element whose content is the escaped <paramref name="text"/>.</summary>
    public void Text(string text, params (string Name, object? Value)[] attributes)
    {
        StartTag("text", attributes);
        _sb.Append('>').Append(Escape(text)).Append("</text>\n");
    }

    private void StartTag(string tag, (string Name, object? Value)[] attributes)
    {
        _sb.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null) continue;
            string text = value switch
            {
                double d => Num(d),
                int i => i.ToString(CultureInfo.InvariantCulture),
                string s => Escape(s),
                _ => throw new InvalidOperationException($"Unsupported attribute type {value.GetType()}."),
            };
            _sb.Append(' ').Append(name).Append("=\"").Append(text).Append('"');
        }
    }

    /// <summary>
    /// A pixel coordinate with at most two decimals: finer detail is invisible and would only make files larger.
    /// Huge values (data far outside a fixed axis range) are clamped; clipping hides them anyway.
    /// </summary>
    public static string Num(double v)
    {
        if (!double.IsFinite(v)) throw new InvalidOperationException("A non-finite coordinate reached the SVG writer.");
        v = Math.Round(Math.Clamp(v, -1e6, 1e6), 2);
        return v == 0 ? "0" : v.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>A data value written exactly (round-trip), for data-* attributes that tests and tools read back.</summary>
    public static string Exact(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>0xRRGGBB as <c>#rrggbb</c>.</summary>
    public static string Color(int rgb) => "#" + rgb.ToString("x6", CultureInfo.InvariantCulture);

    /// <summary>Escapes XML markup characters and drops characters XML 1.0 cannot carry, so any label yields a valid file.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                default:
                    if (XmlConvert.IsXmlChar(c)) sb.Append(c);
                    else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c)) sb.Append(c).Append(text[++i]);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Estimated width of <paramref name="text"/> at a font size. No font metrics are available, so this uses the
    /// average advance of DejaVu Sans (about 0.6 em), which errs on the wide side for the digits and lower case used in labels.
    /// </summary>
    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.6;

    /// <summary>
    /// Saves <paramref name="content"/> as UTF-8 without a byte-order mark, atomically (<see cref="IO.AtomicFile"/>): a crash or
    /// error never leaves a half-written file at <paramref name="path"/>.
    /// </summary>
    public static void SaveAtomic(string path, string content) =>
        IO.AtomicFile.Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(content)), "the chart");
}
