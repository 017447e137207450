using TorchSharp;
using static TorchSharp.torch.nn;

namespace Chronoscope.Models;

/// <summary>
/// A convolution with 'same' padding whose input gradient is a forward convolution (as in
/// <see cref="GradientConvolution"/>) while libtorch's backward pass computes the weight gradient. For bfloat16 on an
/// AVX-512 CPU without AMX, where oneDNN's bfloat16 backward passes go through im2col and a matrix product: there the
/// input gradient as a forward convolution is 2.5-4× as fast at kernels 19 and 39, the weight gradient as one no
/// faster than libtorch's (docs/speed.md). The output is libtorch's convolution of the detached input, so its backward reaches the
/// weight only; this function passes the output gradient on to it and adds the input's.
/// </summary>
internal sealed class InputGradientConvolution : torch.autograd.SingleTensorFunction<InputGradientConvolution>
{
    public override string Name => nameof(InputGradientConvolution);

    private const string Before = "before", After = "after";

    /// <summary>(B, C, T) and (F, C, k), padded by <paramref name="padding"/> steps before and after, to (B, F, T).</summary>
    public static torch.Tensor Convolve(torch.Tensor input, torch.Tensor weight, (long Before, long After) padding)
    {
        using var scope = torch.NewDisposeScope();
        // libtorch 2.10's oneDNN computes bfloat16 convolutions with output channels not a multiple of 16 wrongly (the
        // input gradient's convolution has the input's channels: 20-50% off for 1, 3 and 8 channels, measured): such
        // inputs, and inputs that need no gradient, are libtorch's convolution alone.
        var byConvolution = input.requires_grad && (input.dtype != torch.ScalarType.BFloat16 || input.shape[1] % 16 == 0);
        var output = functional.conv1d(functional.pad(byConvolution ? input.detach() : input, [padding.Before, padding.After]), weight); // (B, F, T)
        var result = byConvolution ? apply(output, input, weight.detach(), padding.Before, padding.After) : output;
        return scope.MoveToOuter(result);
    }

    public override torch.Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var (output, weight, before, after) = ((torch.Tensor)vars[0], (torch.Tensor)vars[2], (long)vars[3], (long)vars[4]);
        ctx.save_for_backward([weight]);
        ctx.save_data(Before, before);
        ctx.save_data(After, after);
        return output.alias(); // the convolution's values; its own backward still reaches the weight
    }

    public override List<torch.Tensor> backward(torch.autograd.AutogradContext ctx, torch.Tensor gradient) // (B, F, T)
    {
        using var scope = torch.NewDisposeScope();
        var weight = ctx.get_saved_variables()[0]; // (F, C, k)
        var (before, after) = ((long)ctx.get_data(Before), (long)ctx.get_data(After));
        // dx[t] = Σ_j w[j]·g[t + before - j]: g padded the other way round, correlated with the flipped kernel
        var inputGradient = functional.conv1d(functional.pad(gradient, [after, before]), weight.flip(2).transpose(0, 1)); // (B, C, T)
        return [gradient, scope.MoveToOuter(inputGradient), null!, null!, null!];
    }
}
