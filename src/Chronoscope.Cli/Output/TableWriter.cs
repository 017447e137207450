using Spectre.Console;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Rows of cells (Spectre markup) as a table: drawn by Spectre with colours on an interactive terminal, as
/// aligned plain text without trailing spaces otherwise, so redirected output greps and diffs well.
/// </summary>
internal static class TableWriter
{
    private const string Gap = "  ";

    /// <param name="context">The console to write to, and whether it is interactive.</param>
    /// <param name="headers">Column titles; null for a borderless grid without titles.</param>
    /// <param name="rows">Cells as Spectre markup (escape plain text with <see cref="Markup.Escape"/>).</param>
    /// <param name="rightAligned">Columns to align right (numbers).</param>
    public static void Write(CliContext context, IReadOnlyList<string>? headers, IReadOnlyList<IReadOnlyList<string>> rows, params int[] rightAligned)
    {
        var columns = headers?.Count ?? (rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        if (context.IsInteractive)
            WriteSpectre(context.Output, headers, rows, columns, rightAligned);
        else
            WritePlain(context.Output, headers, rows, columns, rightAligned);
    }

    private static void WriteSpectre(IAnsiConsole console, IReadOnlyList<string>? headers, IReadOnlyList<IReadOnlyList<string>> rows, int columns, int[] rightAligned)
    {
        if (headers is null)
        {
            var grid = new Grid();
            for (var c = 0; c < columns; c++)
                grid.AddColumn(new GridColumn { Alignment = rightAligned.Contains(c) ? Justify.Right : Justify.Left }.PadRight(2));
            foreach (var row in rows)
                grid.AddRow(Enumerable.Range(0, columns).Select(c => new Markup(c < row.Count ? TerminalText.Escape(row[c]) : "")).ToArray());
            console.Write(grid);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        for (var c = 0; c < columns; c++)
            table.AddColumn(new TableColumn(new Markup($"[bold]{headers[c]}[/]")) { Alignment = rightAligned.Contains(c) ? Justify.Right : Justify.Left });
        foreach (var row in rows)
            table.AddRow(Enumerable.Range(0, columns).Select(c => new Markup(c < row.Count ? TerminalText.Escape(row[c]) : "")).ToArray());
        console.Write(table);
    }

    private static void WritePlain(IAnsiConsole console, IReadOnlyList<string>? headers, IReadOnlyList<IReadOnlyList<string>> rows, int columns, int[] rightAligned)
    {
        var text = rows.Select(r => Enumerable.Range(0, columns).Select(c => c < r.Count ? TerminalText.Escape(Markup.Remove(r[c])) : "").ToArray()).ToList();
        if (headers is not null)
            text.Insert(0, [.. headers.Select(Markup.Remove)]);
        // Widths in terminal cells, not characters: a CJK character takes two, a combining mark none.
        var widths = Enumerable.Range(0, columns).Select(c => text.Max(r => r[c].GetCellWidth())).ToArray();
        foreach (var row in text)
        {
            var cells = row.Select((cell, c) => rightAligned.Contains(c) ? Spaces(widths[c] - cell.GetCellWidth()) + cell
                : c == columns - 1 ? cell : cell + Spaces(widths[c] - cell.GetCellWidth()));
            CliContext.WriteLine(console, string.Join(Gap, cells).TrimEnd());
        }
    }

    private static string Spaces(int count) => new(' ', Math.Max(0, count));
}
