using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Training;

/// <summary>
/// Trains a network on <see cref="DataLoaders"/> the way fastai's <c>Learner</c> does: one line for the common case
/// (<c>Learner.Create(data).FitOneCycle(25, 1e-3)</c>), callbacks for the rest.
/// </summary>
public sealed partial class Learner : IDisposable
{
    private readonly List<Callback> _callbacks = [];
    private AdaptiveOptimizer? _optimizer;

    /// <summary>A learner for a network of your own.</summary>
    public Learner(DataLoaders data, InceptionTime model, LearnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new LearnerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.ValidationInterval, 1, nameof(options));
        if (model.InputChannels != data.Channels || model.ClassCount != data.Classes.Count)
            throw new ArgumentException($"the model takes {model.InputChannels} channels to {model.ClassCount} classes, the data has {data.Channels} channels and {data.Classes.Count} classes", nameof(model));
        Data = data;
        model.to(TorchRuntime.Device);
        Classifier = new TimeSeriesClassifier(model, data.Classes, data.Normalizer, data.Options.MissingValues, data.Length, data.Name)
        {
            VariableLengths = data.VariableLengths,
        };
        _batchNote = FitAutomaticBatchToMemory(data, model.Options);
    }

    /// <summary>
    /// The reference's learner (<c>ts_learner(dls)</c>): InceptionTime for the data's channels and classes, initialised
    /// from <see cref="LearnerOptions.Seed"/>, trained with Ranger and label smoothing, measured by accuracy.
    /// </summary>
    public static Learner Create(DataLoaders data, LearnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new LearnerOptions();
        Validate(options);
        // One class trains to loss 0 and accuracy 1 and means nothing: refused before anything is built.
        var train = data.Train.Dataset;
        var trained = train.Labels?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (trained.Count < 2)
        {
            var found = trained.Count == 0 ? "no series" : $"only class \"{trained[0]}\"";
            throw new DatasetFormatException(train.Sources.Count > 0 ? train.Sources[0] : train.Name, null,
                $"expected training series of at least 2 classes, found {found}: a classifier needs classes to tell apart.");
        }
        InceptionTime model;
        using (TorchRuntime.LockGenerator()) // no other thread draws between the seed and the weights
        {
            torch.manual_seed(options.Seed);
            model = new InceptionTime(data.Channels, data.Classes.Count, options.Model);
        }
        return new Learner(data, model, options);
    }

    /// <summary>
    /// Refuses settings outside their meaning before anything is built: libtorch would refuse some mid-fit in its own
    /// words (a label smoothing of 2), others would train to nonsense (a negative weight decay, an undefined loss).
    /// </summary>
    private static void Validate(LearnerOptions options)
    {
        static void Check(bool ok, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(nameof(options), $"LearnerOptions.{what}");
        }
        ArgumentNullException.ThrowIfNull(options.Model);
        Check(Enum.IsDefined(options.Optimizer), $"Optimizer: expected one of {string.Join(", ", Enum.GetNames<OptimizerKind>())}, found {options.Optimizer}");
        Check(Enum.IsDefined(options.Loss), $"Loss: expected one of {string.Join(", ", Enum.GetNames<LossKind>())}, found {options.Loss}");
        Check(Enum.IsDefined(options.Precision), $"Precision: expected one of {string.Join(", ", Enum.GetNames<TrainingPrecision>())}, found {options.Precision}");
        Check(Enum.IsDefined(options.BatchNormCalibration), $"BatchNormCalibration: expected one of {string.Join(", ", Enum.GetNames<BatchNormCalibration>())}, found {options.BatchNormCalibration}");
        Check(options.LabelSmoothing is >= 0 and < 1, FormattableString.Invariant($"LabelSmoothing: expected a share from 0 up to 1, found {options.LabelSmoothing}"));
        Check(options.WeightDecay is >= 0 && double.IsFinite(options.WeightDecay), FormattableString.Invariant($"WeightDecay: expected a finite number of 0 or more, found {options.WeightDecay}"));
        Check(options.Beta2 is >= 0 and < 1, FormattableString.Invariant($"Beta2: expected a decay from 0 up to 1, found {options.Beta2}"));
        Check(options.Epsilon > 0 && double.IsFinite(options.Epsilon), FormattableString.Invariant($"Epsilon: expected a finite number above 0, found {options.Epsilon}"));
        Check(options.ValidationInterval >= 0, FormattableString.Invariant($"ValidationInterval: expected 0 (never) or more, found {options.ValidationInterval}"));
        ArgumentNullException.ThrowIfNull(options.Metrics);
        Check(options.Metrics.All(m => m is not null), "Metrics: expected metrics, found a null one");
        Check(options.Metrics.Select(m => m.Name).Distinct().Count() == options.Metrics.Count, $"Metrics: expected each metric once, found {string.Join(", ", options.Metrics.Select(m => m.Name))}");
    }

    /// <summary>The data it trains and validates on.</summary>
    public DataLoaders Data { get; }

    /// <summary>How it trains.</summary>
    public LearnerOptions Options { get; }

    /// <summary>The network.</summary>
    public InceptionTime Model => Classifier.Model;

    /// <summary>The network with its classes and normalization: what predicts, explains and is saved.</summary>
    public TimeSeriesClassifier Classifier { get; }

    /// <summary>What happened during the last fit.</summary>
    public Recorder Recorder { get; } = new();

    /// <summary>Callbacks that take part in every fit (in addition to those passed to a fit).</summary>
    public IList<Callback> Callbacks => _callbacks;

    /// <summary>Optimizer steps taken so far across fits.</summary>
    public int OptimizerSteps => _optimizer?.StepCount ?? 0;

    /// <summary>The settings and results of the last fit, kept in saved model files.</summary>
    public TrainingSummary? LastFit { get; private set; }

    /// <summary>Class probabilities for a loader (e.g. <c>Data.Valid</c>), in order.</summary>
    public Predictions Predict(DataLoader loader) => Classifier.Predict(loader);

    /// <summary>Class probabilities for new series, prepared as the training data was.</summary>
    public Predictions Predict(TimeSeriesDataset data) => Classifier.Predict(data, Data.Valid.BatchSize);

    /// <summary>Saves the model with its classes, normalization and training summary, atomically.</summary>
    public void Save(string path)
    {
        Classifier.Training = LastFit;
        Classifier.Save(path);
    }

    public void Dispose()
    {
        _optimizer?.Dispose();
        Classifier.Dispose();
    }

    /// <summary>Adam's beta1 when no schedule sets it: 0.95 for Ranger (the reference's <c>Ranger(mom=0.95)</c>), else fastai's 0.9.</summary>
    internal double DefaultMomentum => Options.Optimizer == OptimizerKind.Ranger ? 0.95 : 0.9;

    /// <summary>The loss of logits (B, K) against class indices (B), a scalar tensor.</summary>
    internal torch.Tensor ComputeLoss(torch.Tensor logits, torch.Tensor targets) =>
        torch.nn.functional.cross_entropy(logits, targets,
            label_smoothing: Options.Loss == LossKind.LabelSmoothingCrossEntropy ? Options.LabelSmoothing : 0);

    private AdaptiveOptimizer CreateOptimizer()
    {
        var withoutDecay = new HashSet<TorchSharp.Modules.Parameter>(ReferenceEqualityComparer.Instance);
        if (!Options.WeightDecayOnBatchNormAndBias)
        {
            // fastai's wd_bn_bias=False: BatchNorm weights and biases and every layer's bias are not decayed.
            foreach (var module in Model.modules())
            {
                foreach (var (name, parameter) in module.named_parameters(recurse: false))
                {
                    if (module is TorchSharp.Modules.BatchNorm1d || name == "bias")
                        withoutDecay.Add(parameter);
                }
            }
        }
        return new AdaptiveOptimizer(Options.Optimizer, [.. Model.parameters()], withoutDecay,
            Options.WeightDecay, Options.Beta2, Options.Epsilon);
    }
}
