using TorchSharp;

namespace Chronoscope.Models;

/// <summary>
/// A 1×1 convolution, computed the fastest way measured for its case (benchmarks/README.md, Speed): the same function
/// as <c>conv1d</c>, rounded differently only where a sum is formed in another order.
/// </summary>
internal static class Pointwise
{
    /// <summary>(B, C, T) with (F, C, 1) and an optional (F) bias to (B, F, T).</summary>
    public static torch.Tensor Convolve(torch.Tensor input, torch.Tensor weight, torch.Tensor? bias = null)
    {
        var (filters, channels) = (weight.shape[0], weight.shape[1]);
        torch.Tensor output;
        if (channels == 1)
            output = input * weight.view(1, filters, 1); // an outer product: oneDNN took 12.7 ms for (64, 1, 500) to 128 channels
        else if ((input.dtype == torch.ScalarType.BFloat16 && !torch.is_grad_enabled()) || PartialChannelBlock(channels))
            output = torch.matmul(weight.view(filters, channels), input); // bf16 prediction: 1.16 against 2.4 ms for 128 to 32 channels; partial blocks: correct
        else
            return torch.nn.functional.conv1d(input, weight, bias); // float32, and training: oneDNN's as fast or faster
        return bias is null ? output : output.add_(bias.view(filters, 1), HeldScalars.One);
    }

    /// <summary>
    /// More than 16 channels that are no multiple of 16: oneDNN's blocked kernels then read lanes of the last block they
    /// never wrote (InceptionModule's branches), so such convolutions are computed as matrix products here.
    /// </summary>
    internal static bool PartialChannelBlock(long channels) => channels > 16 && channels % 16 != 0;
}
