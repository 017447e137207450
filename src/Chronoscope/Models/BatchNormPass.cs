using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Models;

/// <summary>
/// A BatchNorm1d's forward pass, as TorchSharp's <c>BatchNorm.forward</c> computes it, without its temporary Scalars:
/// TorchSharp counts training batches with <c>num_batches_tracked.add_(1)</c>, two Scalars made for the call that a
/// garbage collection on another thread may free while libtorch reads them (<see cref="HeldScalars"/>; seen in a
/// benchmark's FordA-size fit as "alpha must not be a floating point number").
/// </summary>
internal static class BatchNormPass
{
    /// <summary>The normalized input, with the running statistics updated in training as <paramref name="norm"/> would.</summary>
    public static torch.Tensor Forward(BatchNorm1d norm, torch.Tensor input)
    {
        var momentum = norm.momentum ?? 0.0;
        if (norm.training && norm.track_running_stats && norm.num_batches_tracked is { } batches)
        {
            batches.add_(HeldScalars.One, HeldScalars.One);
            if (norm.momentum is null)
                momentum = 1.0 / batches.item<long>(); // a cumulative average, as TorchSharp and PyTorch take it
        }
        var batchStatistics = norm.training || (norm.running_mean is null && norm.running_var is null);
        var running = !norm.training || norm.track_running_stats;
        return torch.nn.functional.batch_norm(input, running ? norm.running_mean : null, running ? norm.running_var : null,
            norm.weight, norm.bias, batchStatistics, momentum, norm.eps);
    }
}
