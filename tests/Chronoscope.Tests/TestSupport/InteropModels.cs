using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// Untrained classifiers for the interop tests, whose BatchNorm weights and running statistics are drawn at random so
/// that a swapped or dropped buffer changes every prediction (fresh BatchNorm is the identity: mean 0, variance 1).
/// </summary>
internal static class InteropModels
{
    /// <summary>GunPoint (1 channel, 2 classes), z-scored with the TRAIN file's statistics.</summary>
    public static TimeSeriesClassifier GunPoint(InceptionTimeOptions shape, int seed = 11) =>
        For(DatasetReader.Read(TestData.GunPointTrainArff), shape, seed, Normalization.PerChannel);

    /// <summary>BasicMotions (6 channels, 4 classes, length 100), z-scored per channel.</summary>
    public static TimeSeriesClassifier BasicMotions(InceptionTimeOptions shape, int seed = 12, Normalization normalization = Normalization.PerChannel) =>
        For(DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TRAIN.ts")), shape, seed, normalization);

    public static TimeSeriesClassifier For(TimeSeriesDataset train, InceptionTimeOptions shape, int seed, Normalization normalization)
    {
        var model = Seeded.Build(seed, () => new InceptionTime(train.Channels, train.Classes.Count, shape));
        Randomize(model, seed);
        model.eval();
        return new TimeSeriesClassifier(model, train.Classes, Normalizer.Fit(normalization, train), MissingValues.Interpolate, train.Length, train.Name);
    }

    /// <summary>
    /// Every value from a generator seeded by <paramref name="seed"/>: convolution and linear weights ± √(3 / fan-in), biases
    /// ± 0.1; BatchNorm: weight 1 ± 0.2, bias ± 0.2, running mean ± 0.2, running variance in [0.5, 1.5]; 1 to 5 batches tracked.
    /// </summary>
    public static void Randomize(InceptionTime model, int seed)
    {
        var generator = new Random(seed);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
        {
            var n = (int)tensor.numel();
            float Draw(double centre, double spread) => (float)(centre + spread * (2 * generator.NextDouble() - 1));
            var values = name switch
            {
                _ when name.EndsWith("bn.weight", StringComparison.Ordinal) => Enumerable.Range(0, n).Select(_ => Draw(1, 0.2)).ToArray(),
                _ when name.EndsWith("bn.bias", StringComparison.Ordinal) || name.EndsWith("running_mean", StringComparison.Ordinal) => Enumerable.Range(0, n).Select(_ => Draw(0, 0.2)).ToArray(),
                _ when name.EndsWith("running_var", StringComparison.Ordinal) => Enumerable.Range(0, n).Select(_ => Draw(1, 0.5)).ToArray(),
                // Weights and biases from this generator too, not libtorch's global one, which tests running in parallel
                // also draw from: ± √(3 / fan-in), unit variance per unit of input (PyTorch's default, 1/√fan-in, gave the
                // untrained network near-constant predictions, which test little).
                _ when name.EndsWith("weight", StringComparison.Ordinal) && tensor.dim() > 1 => Enumerable.Range(0, n).Select(_ => Draw(0, Math.Sqrt(3.0 / (n / tensor.shape[0])))).ToArray(),
                _ when name.EndsWith("bias", StringComparison.Ordinal) => Enumerable.Range(0, n).Select(_ => Draw(0, 0.1)).ToArray(),
                _ => null,
            };
            if (values is not null)
                tensor.copy_(torch.tensor(values).reshape(tensor.shape));
            else if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                tensor.fill_(generator.Next(1, 6));
        }
    }

    /// <summary>Every parameter and buffer as raw bytes, by name.</summary>
    public static Dictionary<string, byte[]> Bytes(InceptionTime model)
    {
        using var scope = torch.NewDisposeScope();
        return model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().contiguous().bytes.ToArray());
    }
}
