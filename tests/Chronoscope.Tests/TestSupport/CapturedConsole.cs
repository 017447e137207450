using System.Text;
using Spectre.Console;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// A Spectre console that writes into memory, either as redirected output (no ANSI, not a terminal) or as an
/// interactive ANSI terminal (what a person at a terminal sees, live progress included). An optional watcher sees the
/// text after every write, e.g. to press Ctrl+C once the first epoch row appears.
/// </summary>
internal sealed class CapturedConsole
{
    private readonly WatchedWriter _writer;

    private CapturedConsole(bool terminal, Action<string>? watcher)
    {
        _writer = new WatchedWriter(watcher);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.TrueColor : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new Output(_writer, terminal),
        });
    }

    /// <summary>Standard output sent to a file or a pipe.</summary>
    public static CapturedConsole Redirected(Action<string>? watcher = null) => new(false, watcher);

    /// <summary>An interactive terminal that understands ANSI, 120 columns wide.</summary>
    public static CapturedConsole Terminal() => new(true, null);

    public IAnsiConsole Console { get; }

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_writer)
                return _writer.ToString();
        }
    }

    private sealed class Output(TextWriter writer, bool terminal) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => terminal;

        public int Width => 120;

        public int Height => 40;

        public void SetEncoding(Encoding encoding)
        {
        }
    }

    /// <summary>A string writer (safe to share with Spectre's refresh thread) that shows the whole text to a watcher after each write.</summary>
    private sealed class WatchedWriter(Action<string>? watcher) : StringWriter
    {
        public override void Write(char value)
        {
            lock (this)
                base.Write(value);
            Notify();
        }

        public override void Write(string? value)
        {
            lock (this)
                base.Write(value);
            Notify();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (this)
                base.Write(buffer, index, count);
            Notify();
        }

        private void Notify()
        {
            if (watcher is null)
                return;
            string text;
            lock (this)
                text = ToString();
            watcher(text);
        }
    }
}
