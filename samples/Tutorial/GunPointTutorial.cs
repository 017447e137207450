using Chronoscope.Data;
using Chronoscope.Data.Archive;
using Chronoscope.Explain;
using Chronoscope.Plotting;
using Chronoscope.Reports;
using Chronoscope.Training;

namespace Chronoscope.Tutorial;

/// <summary>
/// fastai's "Class Activation Map (CAM) and Gradient-CAM (GRAD-CAM) tutorial" on GunPoint, cell by cell: the data,
/// a look at it, InceptionTime trained 25 epochs with one-cycle at 1e-3, its predictions, and the maps that show which
/// part of each series made it decide, in every variant the notebook draws. `chronoscope tutorial` runs this code.
/// </summary>
public static class GunPointTutorial
{
    public static TutorialResult Run(
        TutorialOptions options, IProgress<TrainingProgress>? training = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = Directory.CreateDirectory(options.OutputFolder).FullName;
        var files = new List<string>();

        void Save(Figure figure, string name)
        {
            using (figure)
            {
                cancellationToken.ThrowIfCancellationRequested(); // nothing is written after Ctrl-C
                files.AddRange(figure.SavePngAndSvg(output, name));
            }
        }

        // GunPoint: the X coordinate of an actor's right hand drawing a replica gun from a holster (Gun) or pointing
        // a finger (Point). The ARFF pair ships inside Chronoscope, so nothing is downloaded.
        var gunPoint = Datasets.Get("GunPoint", new DatasetSourceOptions { CacheFolder = options.CacheFolder }, cancellationToken: cancellationToken);

        // TSDataLoaders.from_files(bs=64, fnames=[train, test]): the notebook pools TRAIN and TEST and validates on a
        // random 20% (fastai's RandomSplitter, seed 42): 160 series to train on, 40 to validate.
        using var data = DataLoaders.FromFiles(
            [gunPoint.TrainPath, gunPoint.TestPath],
            new DataLoadersOptions { BatchSize = 64, SplitSeed = 42, ShuffleSeed = options.Seed });

        // dls.show_batch(max_n=9)
        Save(Pictures.ShowBatch(data.Train, new SeriesGridOptions { MaxItems = 9 }), "01-show-batch");

        // learn = ts_learner(dls); learn.fit_one_cycle(25, lr_max=1e-3): InceptionTime, Ranger, label smoothing.
        using var learner = Learner.Create(data, LearnerOptions.Reference with { Seed = options.Seed });
        var callbacks = training is null ? [] : new Callback[] { new ProgressReporter(training) };
        var fit = learner.FitOneCycle(options.Epochs, options.MaxLearningRate, callbacks: callbacks, cancellationToken: cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        learner.Save(Path.Combine(output, "model.chronoscope"));
        files.Add(Path.Combine(output, "model.chronoscope"));

        // learn.show_results(): "prediction / target" for validation series.
        var predictions = learner.Predict(data.Valid);
        Save(Pictures.ShowResults(predictions, data.Valid.Dataset), "02-show-results");

        // i2o: the notebook names label 1 "Gun" and label 2 "Point" (class indices 0 and 1).
        var names = ClassNames.Parse("1=Gun,2=Point");
        var explainer = new Explainer(learner.Classifier);
        var training0And3 = new[] { 0, 3 }; // get_batch(dls.train.dataset, [0, 3]): one Gun, one Point
        var trainingSeries = data.Train.Dataset;

        Figure Cam(IReadOnlyList<int> items, ExplainOptions explain, CamPlotOptions draw) =>
            Pictures.ShowCam(explainer.Explain(data.Train, items, explain), draw with { ClassNames = names });

        // show_cam(batch, model, layer=5, i2o=i2o, func_cam=grad_cam_acts): both series in one figure, titled
        // "[Gun - Point] - GRAD-CAM - mean". Layer 5 is the last Inception block, the default.
        Save(Cam(training0And3, new ExplainOptions { Method = MapMethod.GradCam }, new CamPlotOptions()), "03-gradcam");

        // show_cam(batch, model, layer=5, i2o=i2o, multi_fig=True): CAM (the activations averaged over channels), one
        // panel per series.
        Save(Cam(training0And3, new ExplainOptions { Method = MapMethod.Cam }, new CamPlotOptions { Layout = CamLayout.Grid }), "04-cam-multi-fig");

        // func_cam=cam_acts, reduction='max', cmap=CMAP.seismic
        Save(Cam(training0And3, new ExplainOptions { Method = MapMethod.Cam, Reduction = Reduction.Max }, new CamPlotOptions { Colormap = "seismic" }),
            "05-cam-max-seismic");

        // func_cam=grad_cam_acts, force_scale=False, cmap='seismic': raw values; the colour bar spans their range.
        Save(Cam(training0And3, new ExplainOptions { Method = MapMethod.GradCam, ForceScale = false }, new CamPlotOptions { Colormap = "seismic" }),
            "06-gradcam-raw-seismic");

        // func_cam=grad_cam_acts, reduction='mean_max', cmap=CMAP.seismic
        Save(Cam(training0And3, new ExplainOptions { Method = MapMethod.GradCam, Reduction = Reduction.MeanMax }, new CamPlotOptions { Colormap = "seismic" }),
            "07-gradcam-mean-max-seismic");

        // linewidth=2, scatter=True, cmap=CMAP.hot_r: points instead of segments (CAM, the default method).
        Save(Cam(training0And3, new ExplainOptions { Method = MapMethod.Cam }, new CamPlotOptions { Scatter = true, LineWidth = 2, Colormap = "hot_r" }),
            "08-cam-scatter-hot-r");

        // A map function of your own (the notebook's cam_acts_1 = partial(cam_acts, force_scale=False, scale_range=(0, 2))):
        // here, how strongly each time step pushes the explained class: activation × gradient, summed over channels.
        var pushes = MapMethod.FromFunction("ACTIVATION x GRADIENT", usesReduction: false, map: request =>
        {
            var (activations, gradients, channels, length) = request.ActivationsAndGradients();
            var map = new float[length];
            for (var c = 0; c < channels; c++)
            {
                for (var t = 0; t < length; t++)
                    map[t] += activations[c * length + t] * gradients[c * length + t];
            }
            return map;
        });
        Save(Cam(training0And3, new ExplainOptions { Method = pushes, ScaleRange = (0, 2) }, new CamPlotOptions()), "09-user-function");

        // dls.train.new(bs=5).one_batch(): five shuffled training series, CAM with viridis, in one figure ...
        var fiveShuffled = data.Train.BatchIndices(0)[0][..5];
        Save(Cam(fiveShuffled, new ExplainOptions { Method = MapMethod.Cam }, new CamPlotOptions { Colormap = "viridis" }), "10-batch-viridis");

        // ... and as a grid of 18 × 8 inches with dotted lines.
        Save(Cam(fiveShuffled, new ExplainOptions { Method = MapMethod.Cam },
                new CamPlotOptions { Colormap = "viridis", Layout = CamLayout.Grid, WidthInches = 18, HeightInches = 8, LineStyle = SeriesLineStyle.Dotted }),
            "11-batch-viridis-multi-fig");

        // Everything together: one page with the data, the settings, the epoch table, the curves, the confusion
        // matrix, each class's mean map, the misclassified series and a gallery (self-contained HTML).
        var run = RunRecord.Create(learner, fit, new RunDescription
        {
            CommandLine = "chronoscope tutorial",
            DatasetName = "GunPoint",
            Origin = gunPoint.Origin.ToString().ToLowerInvariant(),
            TrainFile = gunPoint.TrainPath,
            TestFile = gunPoint.TestPath,
            RequestedEpochs = options.Epochs,
            MaxLearningRate = options.MaxLearningRate,
        });
        var metrics = Path.Combine(output, "metrics.json");
        run.Save(metrics);
        files.Add(metrics);
        var report = Path.Combine(output, "report.html");
        RunReportPage.Save(report, run, learner.Classifier, data.Valid, new RunReportOptions { ClassNames = names, Training = data.Train.Dataset },
            cancellationToken: cancellationToken);
        files.Add(report);

        // A last step beyond the notebook: what would make the model decide otherwise? For items 0 (a Gun) and 3 (a
        // Point), the nearest training series of the other class lends them the window its Grad-CAM marks, grown until
        // the model changes its mind (Native Guide, Delaney et al. 2021).
        var counterfactuals = Counterfactuals.Explain(learner.Classifier, trainingSeries, trainingSeries, training0And3);
        for (var k = 0; k < counterfactuals.Items.Count; k++)
        {
            Save(Pictures.ShowCounterfactual(counterfactuals, k, trainingSeries, new CounterfactualPlotOptions { ClassNames = names }),
                $"{12 + k}-counterfactual-{training0And3[k]}");
        }

        return new TutorialResult(files, fit.Last?["accuracy"] ?? double.NaN);
    }
}
