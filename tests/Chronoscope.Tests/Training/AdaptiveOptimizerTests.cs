using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Tests.Training;

public sealed class AdaptiveOptimizerTests
{
    [Theory]
    [InlineData(OptimizerKind.RAdam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Ranger)]
    public void Should_Match_A_Scalar_Reference_Of_fastais_Formulas(OptimizerKind kind)
    {
        // Given a parameter vector minimising 0.5·|p - target|² with a schedule of learning rates and beta1
        using var leaks = new TensorLeakCheck();
        var start = new[] { 1.0, -2.0, 0.5 };
        var target = new[] { 0.3, 0.1, -0.7 };
        using var parameter = new Parameter(torch.tensor(start.Select(v => (float)v).ToArray()));
        using var optimizer = new AdaptiveOptimizer(kind, [parameter], new HashSet<Parameter>(), weightDecay: 0.1);
        using var targetTensor = torch.tensor(target.Select(v => (float)v).ToArray());
        var reference = new ScalarReference(kind, start, weightDecay: 0.1);

        // When both take 40 steps
        for (var step = 0; step < 40; step++)
        {
            var lr = 0.01 + 0.001 * step;
            var beta1 = 0.95 - 0.002 * step;
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.ZeroGrad();
                (0.5 * (parameter - targetTensor).pow(2).sum()).backward();
                optimizer.Step(lr, beta1);
            }
            reference.Step(lr, beta1, [.. reference.Values.Select((v, i) => v - target[i])]);
        }

        // Then they agree (float32 against float64)
        var actual = parameter.data<float>().ToArray();
        for (var i = 0; i < start.Length; i++)
            Assert.Equal(reference.Values[i], actual[i], 1e-5);
    }

    [Fact]
    public void Should_Switch_On_Rectification_After_Five_Steps_For_Beta2_0_99()
    {
        // rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t), rho_inf = 2/(1-0.99) - 1 = 199; rho_t > 5 first at t = 6
        using var parameter = new Parameter(torch.zeros(1));
        using var optimizer = new AdaptiveOptimizer(OptimizerKind.RAdam, [parameter], new HashSet<Parameter>(), 0);

        Assert.Equal(0, optimizer.Rectification(5));
        Assert.InRange(optimizer.Rectification(6), 1e-3, 1);
        Assert.Equal(1, optimizer.Rectification(100_000), 1e-3);
    }

    [Fact]
    public void Should_Not_Decay_Excluded_Parameters()
    {
        // Given two parameters with zero gradients, one excluded from weight decay
        using var leaks = new TensorLeakCheck();
        using var decayed = new Parameter(torch.ones(2));
        using var kept = new Parameter(torch.ones(2));
        using var optimizer = new AdaptiveOptimizer(OptimizerKind.AdamW, [decayed, kept], new HashSet<Parameter>([kept]), weightDecay: 0.5);
        using (var scope = torch.NewDisposeScope())
            ((decayed.sum() + kept.sum()) * 0).backward();

        // When one step at lr 0.1 is taken
        optimizer.Step(0.1, 0.9);

        // Then only the first is multiplied by 1 - lr·wd = 0.95 (no gradient, so no Adam move)
        Assert.Equal([0.95f, 0.95f], decayed.data<float>().ToArray());
        Assert.Equal([1f, 1f], kept.data<float>().ToArray());
    }

    /// <summary>fastai's Adam/RAdam/Lookahead written out on doubles, one element at a time.</summary>
    private sealed class ScalarReference(OptimizerKind kind, double[] start, double weightDecay)
    {
        private readonly double[] _average = new double[start.Length];
        private readonly double[] _square = new double[start.Length];
        private double[]? _slow;
        private int _step;

        public double[] Values { get; } = [.. start];

        public void Step(double lr, double beta1, double[] gradient)
        {
            const double beta2 = 0.99, eps = 1e-5;
            _slow ??= kind == OptimizerKind.Ranger ? [.. Values] : null;
            _step++;
            for (var i = 0; i < Values.Length; i++)
            {
                var g = gradient[i];
                if (kind == OptimizerKind.Adam)
                    g += weightDecay * Values[i];
                else
                    Values[i] *= 1 - lr * weightDecay;
                _average[i] = beta1 * _average[i] + (1 - beta1) * g;
                _square[i] = beta2 * _square[i] + (1 - beta2) * g * g;
                var debias1 = 1 - Math.Pow(beta1, _step);
                var debias2 = 1 - Math.Pow(beta2, _step);
                var rectified = kind is OptimizerKind.RAdam or OptimizerKind.Ranger;
                var rhoInf = 2 / (1 - beta2) - 1;
                var rho = rhoInf - 2 * _step * Math.Pow(beta2, _step) / (1 - Math.Pow(beta2, _step));
                if (!rectified)
                    Values[i] -= lr / debias1 * _average[i] / (Math.Sqrt(_square[i] / debias2) + eps);
                else if (rho > 5)
                    Values[i] -= lr * Math.Sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)) / debias1 * _average[i] / (Math.Sqrt(_square[i] / debias2) + eps);
                else
                    Values[i] -= lr / debias1 * _average[i];
            }
            if (_slow is not null && _step % 6 == 0)
            {
                for (var i = 0; i < Values.Length; i++)
                {
                    _slow[i] += 0.5 * (Values[i] - _slow[i]);
                    Values[i] = _slow[i];
                }
            }
        }
    }
}
