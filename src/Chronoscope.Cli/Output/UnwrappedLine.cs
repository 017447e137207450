using Spectre.Console;
using Spectre.Console.Rendering;

namespace Chronoscope.Cli.Output;

/// <summary>
/// One line of text that Spectre writes as it is, however wide the console: a long error message or path stays
/// one line (a terminal may still fold it visually), and the style is applied only where the console supports it.
/// Control characters from data (ESC, BEL...) are shown escaped (<see cref="TerminalText"/>), never sent to the terminal.
/// </summary>
internal sealed class UnwrappedLine(string line, Style? style = null) : IRenderable
{
    private readonly string _text = TerminalText.Escape(line, keepLineBreaks: true);

    public Measurement Measure(RenderOptions options, int maxWidth) => new(_text.Length, _text.Length);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        [new Segment(_text, style ?? Style.Plain), Segment.LineBreak];
}
