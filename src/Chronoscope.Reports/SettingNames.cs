using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Training;

namespace Chronoscope.Reports;

/// <summary>
/// The names of settings in run records and on the command line (<c>--optimizer ranger</c>): one place, so a record
/// shows a setting as the command line spells it.
/// </summary>
public static class SettingNames
{
    public static string Of(Normalization normalization) => normalization switch
    {
        Normalization.None => "none",
        Normalization.PerSample => "per-sample",
        Normalization.PerChannel => "per-channel",
        Normalization.MinMax => "min-max",
        Normalization.MeanSeries => "mean-series",
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, null),
    };

    public static string Of(VariableLengths lengths) => lengths switch
    {
        VariableLengths.Pad => "pad",
        VariableLengths.Resample => "resample",
        _ => throw new ArgumentOutOfRangeException(nameof(lengths), lengths, null),
    };

    /// <summary>
    /// What the loaders chose from the training series, where the options left it to them (<c>auto</c>) and the choice
    /// departs from the values as read: one line each, with the reason and the option that undoes it, as <c>train</c>
    /// prints them and the run record keeps them among its notes.
    /// </summary>
    public static IReadOnlyList<string> Chosen(DataLoaders data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var lines = new List<string>();
        if (data.NormalizationReason is { } why && data.Normalizer.Kind is not Normalization.None)
            lines.Add($"auto: {Of(data.Normalizer.Kind)} normalization, as {why}; --normalize none keeps the values as read");
        if (data.VariableLengthsReason is { } reason && data.VariableLengths == VariableLengths.Resample)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"auto: series resampled to {data.Length:N0} steps, as {reason}; --variable-lengths pad pads them instead"));
        // Padding one part to the other's length changes series as read (zeros after the end), which plain padding within a part does not.
        if (data.VariableLengthsReason is { } padReason && data.PaddedPart is { } padded)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"auto: the {padded.Name} series ({padded.Lengths}) padded to the {padded.OtherName} series' {data.Length:N0}, as {padReason}; --variable-lengths resample stretches every series to {data.Length:N0} steps instead"));
        }
        return lines;
    }

    public static string Of(OptimizerKind optimizer) => optimizer switch
    {
        OptimizerKind.Ranger => "ranger",
        OptimizerKind.RAdam => "radam",
        OptimizerKind.AdamW => "adamw",
        OptimizerKind.Adam => "adam",
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, null),
    };

    public static string Of(LossKind loss) => loss switch
    {
        LossKind.LabelSmoothingCrossEntropy => "label-smoothing",
        LossKind.CrossEntropy => "cross-entropy",
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };

    public static string Of(BatchNormCalibration calibration) => calibration switch
    {
        BatchNormCalibration.Auto => "auto",
        BatchNormCalibration.Always => "always",
        BatchNormCalibration.Never => "never",
        _ => throw new ArgumentOutOfRangeException(nameof(calibration), calibration, null),
    };

    public static string Of(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Float32 => "fp32",
        TrainingPrecision.BFloat16 => "bf16",
        TrainingPrecision.Auto => "auto",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    public static string Of(InferencePrecision precision) => precision switch
    {
        InferencePrecision.Float32 => "fp32",
        InferencePrecision.BFloat16 => "bf16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    public static string Of(InceptionTimeVariant variant) => variant switch
    {
        InceptionTimeVariant.Fastai => "fastai",
        InceptionTimeVariant.Paper => "paper",
        InceptionTimeVariant.Tsai => "tsai",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}
