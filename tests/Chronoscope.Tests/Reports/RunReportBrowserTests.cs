using System.Buffers.Binary;
using System.Text.Json;
using Chronoscope.Data;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using Microsoft.Playwright;

namespace Chronoscope.Tests.Reports;

/// <summary>
/// The run report opened in a real browser (Debian's headless chromium, installed when missing, driven by Playwright), at laptop
/// and phone sizes: no console errors, every section and picture present and visible (the faithfulness curves and the
/// counterfactuals included), nothing wider than a phone, the faithfulness table readable on a phone.
/// The page comes from a real run: GunPoint (official split) trained 3 epochs by the library.
/// Set CHRONOSCOPE_REPORT_SCREENSHOTS to a folder to keep the screenshots (they are checked and deleted otherwise).
/// </summary>
public sealed class RunReportBrowserTests
{
    private static readonly (string Name, int Width, int Height, bool Mobile)[] Screens =
        [("laptop", 1366, 900, false), ("phone", 390, 844, true)];

    [Fact]
    public async Task Should_Show_Every_Section_And_Picture_Without_Errors_At_Laptop_And_Phone_Width()
    {
        // Given a report of a real 3-epoch GunPoint run (accuracy near 0.8: every section has pictures)
        using var temp = new TempFolder();
        var page = temp.Combine("report.html");
        int misclassified;
        using (var leaks = new TensorLeakCheck())
        {
            using var data = DataLoaders.FromTrainTest(TestData.GunPointTrainArff, TestData.GunPointTestArff);
            using var learner = Learner.Create(data);
            var fit = learner.FitOneCycle(3, 1e-3);
            var run = RunRecord.Create(learner, fit, new RunDescription { TrainFile = TestData.GunPointTrainArff, TestFile = TestData.GunPointTestArff });
            RunReportPage.Save(page, run, learner.Classifier, data.Valid, new RunReportOptions { ClassNames = ClassNames.Parse("1=Gun,2=Point"), Training = data.Train.Dataset });
            var confusion = fit.Last!.Confusion;
            misclassified = (int)(confusion.Total - confusion[0, 0] - confusion[1, 1]);
        }
        var keep = Environment.GetEnvironmentVariable("CHRONOSCOPE_REPORT_SCREENSHOTS");
        if (!string.IsNullOrEmpty(keep))
        {
            Directory.CreateDirectory(keep);
            File.Copy(page, Path.Combine(keep, "report.html"), overwrite: true);
        }

        // When chromium opens it from the file at each screen size
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = await DebianPackages.ChromiumAsync(),
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        foreach (var screen in Screens)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
                IsMobile = screen.Mobile,
                DeviceScaleFactor = 1,
            });
            var tab = await context.NewPageAsync();
            var errors = new List<string>();
            tab.Console += (_, message) =>
            {
                if (message.Type == "error")
                    errors.Add(message.Text);
            };
            tab.PageError += (_, error) => errors.Add(error);
            await tab.GotoAsync(new Uri(page).AbsoluteUri);
            var state = await tab.EvaluateAsync<JsonElement>(Inspection);

            // Then it reports no error, the sections come in order and each is visible
            Assert.True(errors.Count == 0, $"{screen.Name}: {string.Join("\n", errors)}");
            var sections = state.GetProperty("sections").EnumerateArray().ToList();
            Assert.Equal(RunReportPage.SectionIds, sections.Select(s => s.GetProperty("id").GetString()));
            Assert.All(sections, s => Assert.True(s.GetProperty("width").GetDouble() > 100 && s.GetProperty("height").GetDouble() > 40,
                $"{screen.Name}: section {s.GetProperty("id")} is {s.GetProperty("width")} × {s.GetProperty("height")}"));
            // with its pictures, each drawn at a visible size
            var pictures = sections.ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("pictures").EnumerateArray().ToList());
            Assert.Equal(2, pictures["curves"].Count);
            Assert.Single(pictures["confusion"]);
            Assert.Equal(2, pictures["class-maps"].Count);
            Assert.Single(pictures["faithfulness"]);
            Assert.Equal(2 * Math.Min(8, misclassified), pictures["misclassified"].Count);
            Assert.Equal(2 * Math.Min(12, misclassified), pictures["counterfactuals"].Count);
            Assert.InRange(pictures["gallery"].Count, 1, 6);
            Assert.All(pictures.Values.SelectMany(p => p), p => Assert.True(p.GetProperty("width").GetDouble() > 150 && p.GetProperty("height").GetDouble() > 80,
                $"{screen.Name}: a picture is {p.GetProperty("width")} × {p.GetProperty("height")}"));
            // and every picture fits its section; at phone width nothing is wider than the screen
            Assert.True(state.GetProperty("picturesInside").GetBoolean(), $"{screen.Name}: a picture sticks out of its section");
            var (scrollWidth, innerWidth) = (state.GetProperty("scrollWidth").GetInt32(), state.GetProperty("innerWidth").GetInt32());
            Assert.Equal(screen.Width, innerWidth);
            Assert.True(scrollWidth <= innerWidth, $"{screen.Name}: the page is {scrollWidth} px wide on a {innerWidth} px screen");
            Assert.Equal("Gun", state.GetProperty("firstClassName").GetString());
            // the faithfulness section: its table of 8 measures and its sentence; a card per counterfactual, each with
            // the true class's map and the counterfactual, and the misclassified cards' links lead to them
            Assert.Equal(8, state.GetProperty("scoreRows").GetInt32());
            Assert.StartsWith("Replacing the 10% of the time steps that the GRAD-CAM - mean map ranks highest", state.GetProperty("verdict").GetString(), StringComparison.Ordinal);
            Assert.Equal(Enumerable.Repeat(2, Math.Min(12, misclassified)), state.GetProperty("counterfactualCards").EnumerateArray().Select(c => c.GetInt32()));
            Assert.True(state.GetProperty("counterfactualLinks").GetBoolean(), $"{screen.Name}: a link to a counterfactual leads nowhere");

            // And a screenshot of the whole page is a PNG of the screen's width and the page's height
            var png = await tab.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(screen.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
            Assert.Equal(state.GetProperty("scrollHeight").GetInt32(), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
            if (!string.IsNullOrEmpty(keep))
                await File.WriteAllBytesAsync(Path.Combine(keep, $"report-{screen.Name}.png"), png);
        }
    }

    /// <summary>What the test reads from the page: each section's box and its pictures' boxes, widths, the first class's name.</summary>
    private const string Inspection = """
        (() => {
          const box = e => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width, height: r.height }; };
          const visible = e => getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none';
          const sections = [...document.querySelectorAll('main > section')].map(s => ({
            id: s.id, ...box(s), shown: visible(s),
            pictures: [...s.querySelectorAll('figure > svg')].filter(visible).map(box),
          }));
          const picturesInside = [...document.querySelectorAll('main > section')].every(s => {
            const outer = s.getBoundingClientRect();
            return [...s.querySelectorAll('svg')].every(p => { const r = p.getBoundingClientRect(); return r.left >= outer.left - 0.5 && r.right <= outer.right + 0.5; });
          });
          return {
            sections, picturesInside,
            scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
            scrollHeight: document.documentElement.scrollHeight,
            firstClassName: document.querySelector('#gallery h3') ? document.querySelector('#gallery h3').textContent.replace(/^1 \((.*)\)$/, '$1') : null,
            scoreRows: document.querySelectorAll('#faithfulness table.scores tbody tr').length,
            verdict: document.querySelector('#faithfulness .verdict') ? document.querySelector('#faithfulness .verdict').textContent : '',
            counterfactualCards: [...document.querySelectorAll('#counterfactuals .card')].map(c => c.querySelectorAll('figure > svg').length),
            counterfactualLinks: [...document.querySelectorAll('#misclassified a[href^="#counterfactual-"]')].every(a => document.getElementById(a.getAttribute('href').slice(1)) !== null),
          };
        })()
        """;
}
