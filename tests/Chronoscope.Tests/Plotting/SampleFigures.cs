using Chronoscope.Plotting;

namespace Chronoscope.Tests.Plotting;

/// <summary>One figure of each kind from synthetic data, by name.</summary>
internal static class SampleFigures
{
    public static readonly string[] Names =
    [
        "show_batch", "show_batch_multichannel", "show_results",
        "cam_overlay_gradcam", "cam_overlay_raw_seismic", "cam_overlay_dotted_confidence", "cam_grid_5", "cam_grid_2_confidence",
        "cam_scatter_overlay", "cam_scatter_grid", "cam_multivariate_overlay", "cam_multivariate_grid",
        "loss_per_iteration", "loss_per_epoch", "lr_finder", "one_cycle_schedule", "confusion_matrix",
    ];

    public static Figure Create(string name)
    {
        var gun = Synthetic.GunItem(0.973);
        var point = Synthetic.PointItem(0.881);
        var five = Enumerable.Range(0, 5).Select(i => i % 2 == 0
            ? gun with { Series = Synthetic.Bump(150, 2.0 + (0.1 * i), 70 + (3 * i), phase: i), Map = Synthetic.GaussianMap(150, 40 + (10 * i), 12) }
            : point with { Series = Synthetic.Bump(150, 1.6 + (0.1 * i), 85 - (3 * i), phase: i), Map = Synthetic.GaussianMap(150, 110 - (8 * i), 15) }).ToArray();
        return name switch
        {
            "show_batch" => Pictures.ShowBatch(Enumerable.Range(0, 12).Select(i =>
                new LabelledSeries(Synthetic.Bump(150, 1.5 + (0.1 * i), 60 + (5 * i), phase: i), 1, i % 2 == 0 ? "1" : "2")).ToArray()),
            "show_batch_multichannel" => Pictures.ShowBatch(Enumerable.Range(0, 4).Select(i =>
                new LabelledSeries(Synthetic.Stack(Synthetic.Bump(100, 1, 50, phase: i), Synthetic.Bump(100, -1, 30, phase: i), Synthetic.Bump(100, 0.5, 70, 0.3, i)), 3, $"class {i}")).ToArray(),
                new SeriesGridOptions { HeightInches = 8, WidthInches = 10 }),
            "show_results" => Pictures.ShowResults(Enumerable.Range(0, 9).Select(i =>
                new PredictedSeries(Synthetic.Bump(150, 1.5 + (0.1 * i), 60 + (5 * i), phase: i), 1, i == 4 ? "2" : (i % 2 == 0 ? "1" : "2"), i % 2 == 0 ? "1" : "2")).ToArray()),
            "cam_overlay_gradcam" => Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(), Synthetic.PointItem()], "GRAD-CAM - mean")),
            "cam_overlay_raw_seismic" => Pictures.ShowCam(
                CamBatch.Raw([gun with { Map = Synthetic.GaussianMap(150, 45, 12, -0.4, 1.3), Confidence = null }, point with { Map = Synthetic.GaussianMap(150, 100, 18, -0.2, 0.8), Confidence = null }], "GRAD-CAM - mean"),
                new CamPlotOptions { Colormap = "seismic" }),
            "cam_overlay_dotted_confidence" => Pictures.ShowCam(CamBatch.Scaled([gun, point], "CAM - max"),
                new CamPlotOptions { Colormap = "viridis", LineStyle = SeriesLineStyle.Dotted, LineWidth = 3 }),
            "cam_grid_5" => Pictures.ShowCam(CamBatch.Scaled(five, "CAM - mean"),
                new CamPlotOptions { Colormap = "viridis", Layout = CamLayout.Grid, LineStyle = SeriesLineStyle.Dashed }),
            "cam_grid_2_confidence" => Pictures.ShowCam(CamBatch.Scaled([gun, point], "GRAD-CAM - mean_max"), new CamPlotOptions { Layout = CamLayout.Grid }),
            "cam_scatter_overlay" => Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(), Synthetic.PointItem()], "CAM - mean"),
                new CamPlotOptions { Colormap = "hot_r", Scatter = true, LineWidth = 2 }),
            "cam_scatter_grid" => Pictures.ShowCam(CamBatch.Scaled([gun, point], "CAM - mean"),
                new CamPlotOptions { Colormap = "hot_r", Scatter = true, Layout = CamLayout.Grid }),
            "cam_multivariate_overlay" => Pictures.ShowCam(CamBatch.Scaled([Multivariate("Walking", 0), Multivariate("Running", 2)], "GRAD-CAM - mean"),
                new CamPlotOptions { LineWidth = 3 }),
            "cam_multivariate_grid" => Pictures.ShowCam(CamBatch.Scaled([Multivariate("Walking", 0), Multivariate("Running", 2), Multivariate("Standing", 4)], "GRAD-CAM - mean"),
                new CamPlotOptions { Layout = CamLayout.Grid, LineWidth = 3 }),
            "loss_per_iteration" => Pictures.PlotLoss(LossCurve(batchesPerEpoch: 4)),
            "loss_per_epoch" => Pictures.PlotLoss(LossCurve(batchesPerEpoch: 1)),
            "lr_finder" => Pictures.PlotLearningRateFinder(LearningRateCurve()),
            "one_cycle_schedule" => Pictures.PlotSchedule(OneCycle(100)),
            "confusion_matrix" => Pictures.PlotConfusionMatrix(new ConfusionCounts(
                new[,] { { 30, 2, 0 }, { 4, 25, 1 }, { 0, 3, 35 } }, ["Normal", "Myocardial Infarction", "Other"])),
            _ => throw new ArgumentException($"no sample called {name}", nameof(name)),
        };
    }

    private static CamItem Multivariate(string name, double phase) => new(
        Synthetic.Stack(Synthetic.Bump(100, 1.2, 50, phase: phase), Synthetic.Bump(100, -0.8, 35, phase: phase + 1), Synthetic.Bump(100, 0.6, 70, 0.3, phase + 2)),
        3, Synthetic.GaussianMap(100, 30 + (10 * phase), 10), name);

    private static LossHistory LossCurve(int batchesPerEpoch)
    {
        const int epochs = 25;
        var train = Enumerable.Range(0, epochs * batchesPerEpoch)
            .Select(i => 0.3 + (1.0 * Math.Exp(-i / (6.0 * batchesPerEpoch))) + (0.03 * Math.Sin(i * 1.7))).ToArray();
        var valid = Enumerable.Range(0, epochs).Select(e => 0.31 + (0.4 * Math.Exp(-Math.Max(0, e - 12) / 3.0))).ToArray();
        return batchesPerEpoch == 1
            ? new LossHistory(train, valid)
            : new LossHistory(train, valid, [.. Enumerable.Range(1, epochs).Select(e => e * batchesPerEpoch)]);
    }

    private static Chronoscope.Training.LearningRateFinderResult LearningRateCurve()
    {
        var rates = Enumerable.Range(0, 100).Select(i => 1e-7 * Math.Pow(10, i * 8.0 / 99)).ToArray();
        var losses = rates.Select(lr => 0.7 - (0.35 / (1 + Math.Exp(-(Math.Log10(lr) + 3.5) * 2))) + (lr > 0.1 ? Math.Pow(Math.Log10(lr) + 1, 2) * 2 : 0)).ToArray();
        return Chronoscope.Training.Learner.Suggest(rates, losses);
    }

    /// <summary>fastai's one-cycle: cosine from lr/25 up to lr over 25%, then down to lr/1e5; momentum .95 → .85 → .95.</summary>
    private static ScheduleHistory OneCycle(int iterations)
    {
        const double maxLr = 1e-3;
        static double Cos(double start, double end, double p) => end + ((start - end) / 2 * (1 + Math.Cos(Math.PI * p)));
        var up = (int)(iterations * 0.25);
        var lr = new double[iterations];
        var momentum = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            if (i < up)
            {
                lr[i] = Cos(maxLr / 25, maxLr, (double)i / up);
                momentum[i] = Cos(0.95, 0.85, (double)i / up);
            }
            else
            {
                lr[i] = Cos(maxLr, maxLr / 25 / 1e5, (double)(i - up) / (iterations - up));
                momentum[i] = Cos(0.85, 0.95, (double)(i - up) / (iterations - up));
            }
        }
        return new ScheduleHistory(lr, momentum);
    }
}
