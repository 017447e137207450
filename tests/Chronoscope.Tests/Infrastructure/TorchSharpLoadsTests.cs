using TorchSharp;

namespace Chronoscope.Tests.Infrastructure;

public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void Should_Run_Conv1d_Forward_And_Backward()
    {
        // Given a Conv1d with all-one weights and an input 1, 2, ..., 5
        using var scope = torch.NewDisposeScope();
        using var conv = torch.nn.Conv1d(1, 1, 3, bias: false);
        using (torch.no_grad())
            conv.weight!.fill_(1.0f);
        var x = torch.arange(1, 6, dtype: torch.float32).reshape(1, 1, 5).requires_grad_(); // (1, 1, 5)

        // When the output is summed and back-propagated
        var y = conv.call(x); // (1, 1, 3)
        y.sum().backward();

        // Then the forward values are the sliding sums and the gradient counts each input's windows
        Assert.Equal(new[] { 6f, 9f, 12f }, y.data<float>().ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f, 2f, 1f }, x.grad!.data<float>().ToArray());
    }
}
