using TorchSharp;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>Max and average over time, concatenated with max first: (B, C, T) -> (B, 2C, 1).</summary>
internal sealed class AdaptiveConcatPool1d() : Module<torch.Tensor, torch.Tensor>(nameof(AdaptiveConcatPool1d))
{
    public override torch.Tensor forward(torch.Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var pooled = torch.cat([functional.adaptive_max_pool1d(input, 1), functional.adaptive_avg_pool1d(input, 1)], 1);
        return scope.MoveToOuter(pooled);
    }
}
