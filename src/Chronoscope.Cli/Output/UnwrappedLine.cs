using Spectre.Console;
using Spectre.Console.Rendering;

namespace Chronoscope.Cli.Output;

/// <summary>
/// One line of text that Spectre writes as it is, however wide the console: a long error message or path stays
/// one line (a terminal may still fold it visually), and the style is applied only where the console supports it.
/// </summary>
internal sealed class UnwrappedLine(string text, Style? style = null) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => new(text.Length, text.Length);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        [new Segment(text, style ?? Style.Plain), Segment.LineBreak];
}
