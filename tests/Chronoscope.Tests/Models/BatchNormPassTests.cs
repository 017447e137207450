using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Tests.Models;

public sealed class BatchNormPassTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(null)] // a cumulative average over the batches seen
    public void Should_Compute_And_Count_As_TorchSharps_BatchNorm_In_Training_And_Evaluation(double? momentum)
    {
        // Given two equal BatchNorms with non-trivial weights, and batches of (B, C, T)
        using var reference = torch.nn.BatchNorm1d(3);
        using var ours = torch.nn.BatchNorm1d(3);
        reference.momentum = ours.momentum = momentum;
        using (torch.no_grad())
        {
            foreach (var norm in new[] { reference, ours })
            {
                norm.weight.copy_(torch.tensor(new[] { 0.5f, 2f, -1f }));
                norm.bias!.copy_(torch.tensor(new[] { 0.1f, 0f, 3f }));
            }
        }
        var generator = new torch.Generator(7);
        var batches = Enumerable.Range(0, 3).Select(_ => torch.randn([4, 3, 5], generator: generator) * 3).ToList();

        // When both normalize them in training, then the first again in evaluation
        foreach (var batch in batches)
            Assert.True(reference.call(batch).equal(BatchNormPass.Forward(ours, batch)).all().item<bool>());
        reference.eval();
        ours.eval();
        var evaluated = (reference.call(batches[0]), BatchNormPass.Forward(ours, batches[0]));

        // Then every output, running statistic and the batch count are the same, to the bit
        Assert.True(evaluated.Item1.equal(evaluated.Item2).all().item<bool>());
        Assert.True(reference.running_mean!.equal(ours.running_mean!).all().item<bool>());
        Assert.True(reference.running_var!.equal(ours.running_var!).all().item<bool>());
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>());
        Assert.Equal(reference.num_batches_tracked!.item<long>(), ours.num_batches_tracked.item<long>());
        Assert.False(reference.running_mean.equal(torch.zeros(3)).all().item<bool>()); // the statistics did move
    }
}
