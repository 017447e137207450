namespace Chronoscope.Reports;

public static partial class RunReportPage
{
    /// <summary>
    /// The page's only style sheet, inline. Pictures sit in CSS grids whose columns are at least a picture's readable
    /// width or the whole screen, whichever is less, so a phone gets one column; tables that can be wider than a phone
    /// scroll inside their own box; long words (file paths) break anywhere rather than widen the page.
    /// </summary>
    private const string StyleSheet = """

        :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --page: #f6f8fa; --panel: #ffffff; --accent: #0969da; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; overflow-wrap: break-word; }
        header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 16px; }
        header { padding-top: 20px; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 6px; overflow-wrap: anywhere; }
        h2 { font-size: 1.25rem; margin: 0 0 12px; }
        h3 { font-size: 1rem; margin: 18px 0 8px; overflow-wrap: anywhere; }
        p { margin: 0 0 10px; max-width: 80ch; }
        .lead { color: var(--muted); }
        nav { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.95rem; }
        nav a { color: var(--accent); text-decoration: none; }
        nav a:hover { text-decoration: underline; }
        section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 16px 0; min-width: 0; }
        .figures { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr)); }
        .thumbs { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); }
        .cards { display: grid; gap: 16px; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; min-width: 0; }
        .card h3 { margin-top: 0; }
        .pair { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
        figure { margin: 0; min-width: 0; }
        figure svg { display: block; width: 100%; height: auto; background: #fff; }
        figure svg.disagreement { height: 10px; margin-top: 4px; background: var(--page); }
        svg.disagreement rect { fill: #cf222e; }
        p.disagreement { color: var(--muted); font-size: 0.85rem; margin: 2px 0 0; }
        figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 2px; overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .verdict { border-left: 4px solid var(--accent); padding-left: 10px; }
        table.scores th, table.scores td { padding: 4px 6px; }
        table.scores thead th { white-space: normal; }
        .card p.more, .card > p { margin: 6px 0 0; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid var(--line); white-space: nowrap; }
        .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.facts { width: 100%; }
        table.facts th { width: 12em; color: var(--muted); font-weight: 600; }
        table.facts td { overflow-wrap: anywhere; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85rem; }
        pre { background: var(--page); border-radius: 6px; padding: 8px 10px; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        .tiles { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 12px; }
        .tile { border: 1px solid var(--line); border-radius: 8px; padding: 6px 14px; }
        .tile span { display: block; color: var(--muted); font-size: 0.85rem; }
        .tile b { font-size: 1.25rem; font-variant-numeric: tabular-nums; }
        ul { margin: 0; padding-left: 1.2em; }
        li { margin-bottom: 6px; overflow-wrap: anywhere; }
        footer { color: var(--muted); font-size: 0.85rem; padding-bottom: 24px; }
        @media (max-width: 600px) {
          body { font-size: 14px; }
          header, main, footer { padding: 0 8px; }
          header { padding-top: 12px; }
          h1 { font-size: 1.3rem; }
          section { padding: 12px; margin: 12px 0; border-radius: 8px; }
          table.facts th { width: auto; white-space: normal; }
        }

        """;
}
