using System.Globalization;
using Xunit;
using System.Xml.Linq;

namespace MLNetNN.Tests.Plotting;

/// <summary>Reads back the self-describing attributes the plotting code writes into its SVG.</summary>
internal static class SvgAssert
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XDocument Parse(string svg)
    {
        var doc = XDocument.Parse(svg);
        Assert.Equal(Ns + "svg", doc.Root!.Name);
        return doc;
    }

    public static IEnumerable<XElement> WithClass(this XDocument doc, string cls) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cls) == true);

    public static XElement Single(this XDocument doc, params string[] classes) =>
        Assert.Single(doc.Descendants(), e => classes.All(c => ((string?)e.Attribute("class"))?.Split(' ').Contains(c) == true));

    /// <summary>An attribute's value, or "" when it is absent.</summary>
    public static string Attr(this XElement e, string attribute) => (string?)e.Attribute(attribute) ?? "";

    public static double Number(this XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    public static string[] TickLabels(this XElement axis) =>
        axis.Elements(Ns + "text").Where(t => (string?)t.Attribute("class") == "tick").Select(t => t.Value).ToArray();
}
