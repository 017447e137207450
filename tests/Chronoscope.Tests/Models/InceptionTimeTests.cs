using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Models;

public sealed class InceptionTimeTests
{
    [Theory]
    [InlineData(1, 2, 421_666)]  // GunPoint: the count the reference's formula gives
    [InlineData(24, 6, 472_742)] // NATOPS: printed by the reference's learn.summary
    public void Should_Have_The_Reference_Parameter_Count(int channels, int classes, long expected)
    {
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(channels, classes);

        Assert.Equal(expected, model.ParameterCount);
    }

    [Theory]
    [InlineData(24, 20)] // NATOPS's channels
    [InlineData(30, 20)]
    [InlineData(61, 100)] // Heartbeat's
    [InlineData(70, 20)]  // above 64 too, with the workaround held to fewer than 64 channels: 4.8 times off
    [InlineData(150, 20)] // 3.9 times
    [InlineData(963, 20)] // PEMS-SF's: 0.29 times
    public void Should_Take_Input_Gradients_Over_Channels_That_Fill_No_Block_Of_16_As_Float64_Does(int channels, int length)
    {
        // Given a network of that many input channels, eval mode, and memory that held large numbers just before
        // (oneDNN's float32 input gradients over such channel counts read lanes they never wrote: 4-6 times the largest
        // value off float64, so Saliency, Integrated Gradients and the other input attributions drew noise)
        using var leaks = new TensorLeakCheck();
        using var model = Seeded.Build(1, () => new InceptionTime(channels, 3));
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([16, channels, length], generator: new torch.Generator(5)); // (B, C, T)
        torch.Tensor InputGradient(torch.ScalarType type)
        {
            model.to(type);
            torch.full([64, 64, 300], 1000f).Dispose();
            var input = x.to(type).detach().requires_grad_(true);
            model.call(input).select(1, 0).sum().backward();
            model.zero_grad();
            return input.grad!.to(torch.ScalarType.Float64);
        }

        // When the input gradient of class 0's logit is taken in float64 and in float32
        var exact = InputGradient(torch.ScalarType.Float64);
        var rounded = InputGradient(torch.ScalarType.Float32);
        model.to(torch.ScalarType.Float32);

        // Then they agree to float32's rounding (a ReLU input within rounding of zero may switch a path: 1e-3 at most
        // measured, against errors of 4 and more before)
        var error = ((rounded - exact).abs().max() / exact.abs().max()).item<double>();
        Assert.True(error < 1e-2, $"the float32 input gradient is {error:E2} of its largest value off float64");
    }

    [Fact]
    public void Should_Count_Parameters_Of_The_Paper_Variant_As_Its_Formula()
    {
        // Given the paper's network on 1 channel and 2 classes: kernels 40/20/10, bias-free bottleneck when the input
        // has more than one channel, a shortcut Conv1×1+BN from the input (1 channel) at block 2 and from block 2's
        // output (128 channels) at block 5, and a Linear(128, 2) head.
        const long block0 = 1 * 32 * (40 + 20 + 10) + 1 * 32 + 2 * 128;
        const long block = 128 * 32 + 32 * 32 * (40 + 20 + 10) + 128 * 32 + 2 * 128;
        const long shortcuts = (1 * 128 + 2 * 128) + (128 * 128 + 2 * 128);
        const long head = 128 * 2 + 2;

        using var model = new InceptionTime(1, 2, InceptionTimeOptions.Paper);

        Assert.Equal(block0 + 5 * block + shortcuts + head, model.ParameterCount);
    }

    [Theory]
    [InlineData(150)]
    [InlineData(1)]
    [InlineData(7)]
    public void Should_Keep_The_Length_Through_Every_Block(int length)
    {
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(3, 4);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var x = torch.randn(2, 3, length); // (B, C, T)

        for (var layer = 0; layer < model.LayerCount; layer++)
        {
            var logits = model.Forward(x, layer, out var activation);

            Assert.Equal(new long[] { 2, 4 }, logits.shape);
            long[] expected = layer switch
            {
                <= 5 => [2, 128, length],
                6 => [2, 256, 1],
                7 => [2, 256],
                _ => [2, 4],
            };
            Assert.Equal(expected, activation!.shape);
        }
    }

    [Theory]
    [InlineData(InceptionTimeVariant.Fastai)]
    [InlineData(InceptionTimeVariant.Paper)]
    [InlineData(InceptionTimeVariant.Tsai)]
    public void Should_Give_A_Layers_Gradients_Without_Taking_Them_Through_The_Layers_Before_It(InceptionTimeVariant variant)
    {
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(2, 3, new InceptionTimeOptions { Variant = variant });
        model.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(4, 2, 40); // (B, C, T)
        var targets = torch.tensor(new long[] { 0, 2, 1, 2 });

        // Every layer: before, at and after a shortcut (blocks 1, 2, 3; 5 is the last block), the pool, flatten, head.
        for (var layer = 0; layer < model.LayerCount; layer++)
        {
            // Given the whole network run with gradients, the gradient taken to the captured layer's output
            torch.Tensor expectedLogits, expectedGradients;
            using (torch.enable_grad())
            {
                expectedLogits = model.Forward(x, layer, out var captured);
                var score = expectedLogits.gather(1, targets.unsqueeze(1)).sum();
                expectedGradients = torch.autograd.grad([score], [captured!])[0];
            }

            // When the layers up to it run without gradients and the output enters as a new leaf
            var logits = model.ForwardFromLayer(x, layer, out var leaf);
            var gradients = torch.autograd.grad([logits.gather(1, targets.unsqueeze(1)).sum()], [leaf])[0];

            // Then the logits and the gradients are the same, the shortcut's use of a block's output included
            Assert.True(logits.allclose(expectedLogits, rtol: 0, atol: 1e-6), $"layer {layer}: logits differ");
            var largest = expectedGradients.abs().max().item<float>();
            Assert.True(largest > 0, $"layer {layer}: a zero gradient compares nothing");
            var difference = (gradients - expectedGradients).abs().max().item<float>();
            Assert.True(difference <= 1e-6 * largest, $"layer {layer}: gradients differ by {difference:E3} (largest {largest:E3})");
            Assert.True(leaf.is_leaf, "the activation is a leaf: nothing before it is in the graph");
        }
        Assert.True(model.FoldsBatchNorm, "the folding flag is back to its default");
    }

    [Fact]
    public void Should_Index_Layers_As_The_Reference()
    {
        using var model = new InceptionTime(1, 2);

        Assert.Equal(9, model.LayerCount);
        Assert.Equal(5, model.LastBlock);
        Assert.Equal("Inception block 5 + shortcut", model.DescribeLayer(5));
        Assert.Equal("Inception block 4", model.DescribeLayer(4));
        Assert.Equal("concat pool (max, average)", model.DescribeLayer(6));
        Assert.IsType<TorchSharp.Modules.Linear>(model[8]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model[9]);
    }

    [Fact]
    public void Should_Pool_Max_First_Then_Average()
    {
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(1, 2);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var x = torch.randn(3, 1, 40);

        model.Forward(x, 5, out var features);
        model.Forward(x, 6, out var pooled);

        Assert.True(pooled![.., ..128, 0].allclose(features!.amax([2]), rtol: 0, atol: 0));
        Assert.True(pooled[.., 128.., 0].allclose(features.mean([2]), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Should_Give_The_Same_Output_With_Explicit_Or_Built_In_Padding()
    {
        // Given two networks with the same weights, one padding k=39 explicitly (the fast path), one not
        using var leaks = new TensorLeakCheck();
        using var fast = new InceptionTime(1, 2);
        using var plain = new InceptionTime(1, 2, new InceptionTimeOptions { ExplicitPaddingFromKernelSize = int.MaxValue });
        plain.load_state_dict(fast.state_dict());
        fast.eval();
        plain.eval();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var x = torch.randn(4, 1, 150);

        // Then the logits agree to rounding
        Assert.True(fast.call(x).allclose(plain.call(x), rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(20)]
    [InlineData(9)]
    [InlineData(1)]
    public void Should_Pad_Kernels_Same_As_PyTorch(int kernel)
    {
        // Given a series and a kernel, convolved with libtorch's own padding="same"
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 33, dtype: torch.float64);
        var w = torch.randn(4, 3, kernel, dtype: torch.float64);
        var expected = torch.nn.functional.conv1d_padding(x, w, padding: Padding.Same);

        // When it is padded explicitly as the Inception branches do, then convolved without padding
        var (before, after) = InceptionModule.SamePadding(kernel);
        var actual = torch.nn.functional.conv1d(torch.nn.functional.pad(x, [before, after]), w);

        // Then the two agree, length kept
        Assert.Equal(new long[] { 2, 4, 33 }, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Should_Keep_The_Length_With_The_Papers_Even_Kernels()
    {
        // Given a paper network (kernels 40, 20, 10) on series of length 33
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(2, 3, InceptionTimeOptions.Paper);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();

        // Then every block keeps the length
        model.Forward(torch.randn(1, 2, 33), 5, out var features);
        Assert.Equal(new long[] { 1, 128, 33 }, features!.shape);
    }

    [Fact]
    public void Should_Convolve_By_Matrix_Product_As_Conv1d_Does()
    {
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(3, 5, 30, dtype: torch.float64);    // (B, C, T + k - 1)
        var w = torch.randn(7, 5, 9, dtype: torch.float64);     // (F, C, k)

        var product = InceptionModule.ConvolveByMatrixProduct(x, w);

        Assert.Equal(new long[] { 3, 7, 22 }, product.shape);
        Assert.True(product.allclose(torch.nn.functional.conv1d(x, w), rtol: 1e-12, atol: 1e-12));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(24)]
    [InlineData(32)]
    public void Should_Back_Propagate_Correct_Input_Gradients_For_Any_Filter_Count(int filters)
    {
        // Given the same network in float32 and float64 (libtorch's float32 oneDNN kernels get input gradients wrong
        // for kernels > 1 with output channels not a multiple of 16; float64 takes a reference path)
        using var leaks = new TensorLeakCheck();
        var options = new InceptionTimeOptions { Depth = 3, Filters = filters, BottleneckSize = filters };
        using var single = Seeded.Build(5, () => new InceptionTime(2, 3, options));
        using var reference = new InceptionTime(2, 3, options);
        reference.load_state_dict(single.state_dict());
        reference.to(torch.float64);
        single.eval();
        reference.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(4, 2, 50);

        // When the gradient of a logit with respect to the input is taken in both
        var x32 = x.clone().requires_grad_();
        single.call(x32)[.., 1].sum().backward();
        var x64 = x.to(torch.float64).requires_grad_();
        reference.call(x64)[.., 1].sum().backward();

        // Then they agree to float32 rounding
        var error = (x32.grad!.to(torch.float64) - x64.grad!).abs().max().item<double>() / x64.grad!.abs().max().item<double>();
        Assert.True(error < 1e-4, $"relative error {error}");
    }

    [Fact]
    public void Should_Refuse_Input_With_The_Wrong_Channel_Count()
    {
        using var model = new InceptionTime(3, 2);
        using var scope = torch.NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => model.call(torch.zeros(1, 2, 10)));
        Assert.Contains("expected input (batch, 3 channels, length), found (1, 2, 10)", error.Message);
    }

    [Fact]
    public void Should_Turn_NNPACK_Off_So_Even_Kernels_Do_Not_Flood_Standard_Error()
    {
        // Given the paper's network (kernels 10 and 20 run unpadded after explicit "same" padding: NNPACK's case)
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(1, 2, InceptionTimeOptions.Paper);

        // Then libtorch will not try NNPACK, which on unsupported CPUs logs a warning before every such convolution
        Assert.False(TorchRuntime.NnpackEnabled);
    }
}
