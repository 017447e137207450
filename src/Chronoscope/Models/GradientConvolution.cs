using TorchSharp;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>
/// A convolution with 'same' padding whose gradients are convolutions too. On a CPU without AVX-512, libtorch's oneDNN
/// computes a convolution's input and weight gradients by im2col and a matrix product, while its forward convolution
/// of an explicitly padded input takes a direct kernel ~2× as fast. Both gradients are such forward convolutions:
/// the input's is the output gradient correlated with the flipped, transposed kernel; the weight's correlates the
/// padded input with the output gradient, the batch taking the place of the channels. Measured on an AMD EPYC (AVX2),
/// (64, 32, 500) with 32 filters, three runs of <c>benchmarks -- gradients</c>, milliseconds: kernel 39, input gradient
/// 8-14 against 19-23 by oneDNN's backward pass, weight gradient 15-18 against 22-26; kernel 19, 5-6 against 11-13 and
/// 9-11 against 9-11; kernel 9 no faster, its weight gradient twice as slow (docs/speed.md).
/// </summary>
internal sealed class GradientConvolution : torch.autograd.SingleTensorFunction<GradientConvolution>
{
    public override string Name => nameof(GradientConvolution);

    // What forward keeps for backward besides the two tensors: the padding, and which gradients are wanted.
    private const string Before = "before", After = "after", InputGradient = "input_gradient", WeightGradient = "weight_gradient";

    /// <summary>(B, C, T) and (F, C, k), padded by <paramref name="padding"/> steps before and after, to (B, F, T).</summary>
    public static torch.Tensor Convolve(torch.Tensor input, torch.Tensor weight, (long Before, long After) padding) => apply(input, weight, padding.Before, padding.After);

    public override torch.Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weight, before, after) = ((torch.Tensor)vars[0], (torch.Tensor)vars[1], (long)vars[2], (long)vars[3]);
        ctx.save_for_backward([input, weight]);
        ctx.save_data(Before, before);
        ctx.save_data(After, after);
        ctx.save_data(InputGradient, input.requires_grad);
        ctx.save_data(WeightGradient, weight.requires_grad);
        using var padded = functional.pad(input, [before, after]); // (B, C, T + k - 1)
        return functional.conv1d(padded, weight);                  // (B, F, T)
    }

    public override List<torch.Tensor> backward(torch.autograd.AutogradContext ctx, torch.Tensor gradient) // (B, F, T)
    {
        // Its own scope: the padded copies go as soon as the gradients are made, not at the end of the training step.
        using var scope = torch.NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (input, weight) = (saved[0], saved[1]); // (B, C, T), (F, C, k)
        var (before, after) = ((long)ctx.get_data(Before), (long)ctx.get_data(After));
        // dx[t] = Σ_j w[j]·g[t + before - j]: g padded the other way round, correlated with the flipped kernel
        var inputGradient = (bool)ctx.get_data(InputGradient)
            ? functional.conv1d(functional.pad(gradient, [after, before]), weight.flip(2).transpose(0, 1)) // (B, C, T)
            : null;
        // dw[f, c, j] = Σ_b Σ_t g[b, f, t]·x̃[b, c, t + j]: (C, B, T + k - 1) correlated with (F, B, T) is (C, F, k)
        var weightGradient = (bool)ctx.get_data(WeightGradient)
            ? functional.conv1d(functional.pad(input, [before, after]).transpose(0, 1), gradient.transpose(0, 1)).transpose(0, 1) // (F, C, k)
            : null;
        return [inputGradient is null ? null! : scope.MoveToOuter(inputGradient), weightGradient is null ? null! : scope.MoveToOuter(weightGradient), null!, null!];
    }
}
