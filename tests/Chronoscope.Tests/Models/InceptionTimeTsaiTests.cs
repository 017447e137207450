using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Models;

/// <summary>The tsai variant's shape, counted by hand from tsai's InceptionTimePlus.</summary>
public sealed class InceptionTimeTsaiTests
{
    [Fact]
    public void Should_Have_InceptionTimePlus_Parameter_Count_For_One_Channel()
    {
        // Hand count for 1 channel, 2 classes, 32 filters, kernels 39/19/9:
        //   block 0: bottleneck 1·32 + convs 32·32·(39+19+9) + pool conv 1·32 + BatchNorm 2·128 = 68,928
        //   blocks 1-5: 5 · (128·32 + 68,608 + 128·32 + 256) = 385,280
        //   shortcut 0: conv 1·128 + BatchNorm 256 = 384; shortcut 1: BatchNorm only, 256; head 128·2 + 2 = 258
        using var check = new TensorLeakCheck();
        using var model = new InceptionTime(1, 2, new InceptionTimeOptions { Variant = InceptionTimeVariant.Tsai });
        Assert.Equal(455_106, model.ParameterCount);
        var names = model.state_dict().Keys.ToHashSet();
        Assert.Contains("blocks.0.inception.bottleneck.weight", names);
        Assert.DoesNotContain("blocks.0.inception.bottleneck.bias", names);
        Assert.Contains("blocks.2.shortcut.conv.weight", names);
        Assert.DoesNotContain("blocks.5.shortcut.conv.weight", names);
        Assert.Equal("global average pool", model.DescribeLayer(6));
    }

    [Fact]
    public void Should_Leave_Out_The_Bottleneck_Where_The_Input_Has_As_Many_Channels_As_Filters()
    {
        using var check = new TensorLeakCheck();
        using var model = new InceptionTime(32, 3, new InceptionTimeOptions { Variant = InceptionTimeVariant.Tsai });
        var names = model.state_dict().Keys.ToHashSet();
        Assert.DoesNotContain("blocks.0.inception.bottleneck.weight", names);
        Assert.Contains("blocks.1.inception.bottleneck.weight", names);

        // And a forward pass keeps the shapes: (B, 32, T) -> (B, 3)
        using var scope = torch.NewDisposeScope();
        model.eval();
        using var noGrad = torch.no_grad();
        Assert.Equal([2, 3], model.call(torch.randn(2, 32, 50)).shape);
    }
}
