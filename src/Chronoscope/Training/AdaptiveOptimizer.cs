using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Training;

/// <summary>
/// Adam and RAdam as fastai writes them, with Lookahead on top for Ranger. The learning rate and beta1 come in with
/// every step, so a schedule drives them. State tensors are made once, outside any dispose scope, and freed by
/// <see cref="Dispose"/>.
/// </summary>
internal sealed class AdaptiveOptimizer : IDisposable
{
    private readonly OptimizerKind _kind;
    private readonly Parameter[] _parameters;
    private readonly bool[] _decay;
    private readonly torch.Tensor[] _gradientAverages;
    private readonly torch.Tensor[] _squareAverages;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private readonly int _lookaheadSteps;
    private readonly double _lookaheadAlpha;
    private torch.Tensor[]? _slowWeights;
    private int _step;

    public AdaptiveOptimizer(
        OptimizerKind kind, IReadOnlyList<Parameter> parameters, IReadOnlySet<Parameter> withoutDecay,
        double weightDecay, double beta2 = 0.99, double epsilon = 1e-5, int lookaheadSteps = 6, double lookaheadAlpha = 0.5)
    {
        _kind = kind;
        _parameters = [.. parameters];
        _decay = [.. _parameters.Select(p => !withoutDecay.Contains(p))];
        _weightDecay = weightDecay;
        _beta2 = beta2;
        _epsilon = epsilon;
        _lookaheadSteps = lookaheadSteps;
        _lookaheadAlpha = lookaheadAlpha;
        using (torch.no_grad())
        {
            _gradientAverages = [.. _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope())];
            _squareAverages = [.. _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope())];
        }
    }

    /// <summary>Optimizer steps taken so far.</summary>
    public int StepCount => _step;

    /// <summary>How many parameter tensors get weight decay.</summary>
    public int DecayedTensorCount => _decay.Count(d => d);

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            if (p.grad is { } grad)
            {
                grad.Dispose();
                p.grad = null;
            }
        }
    }

    /// <summary>One update with learning rate <paramref name="learningRate"/> and first-moment decay <paramref name="beta1"/>.</summary>
    public void Step(double learningRate, double beta1)
    {
        // libtorch takes both as floats: 1e300 failed there as "cannot be converted to type float without overflow".
        if (!(learningRate is >= 0 and <= float.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate of this step (its schedule's value) must be a finite number of 0 or more");
        if (!(beta1 is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "the momentum (Adam's beta1) of this step (its schedule's value) must be from 0 up to 1");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (_kind == OptimizerKind.Ranger && _slowWeights is null)
            _slowWeights = [.. _parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];

        _step++;
        var debias1 = 1 - Math.Pow(beta1, _step);
        var debias2 = 1 - Math.Pow(_beta2, _step);
        var rectification = _kind is OptimizerKind.Ranger or OptimizerKind.RAdam ? Rectification(_step) : 1.0;

        // The step's constants as libtorch scalars made once and freed with it: a number passed where a Scalar goes
        // becomes a native Scalar left to the finalizer (so does the alpha of 1 that add_(Scalar) passes on, hence
        // HeldScalars.One), and hundreds of those a step, small blocks that outlive the tensors around them, fragmented
        // glibc's heap (FordA size: 1.36-1.39 GB of heap against 1.48-1.58 GB; docs/speed.md, TorchSharp's scalars and
        // the heap).
        using Scalar decayFactor = 1 - learningRate * _weightDecay, weightDecay = _weightDecay, gradientKeep = beta1,
            gradientShare = 1 - beta1, squareKeep = _beta2, squareShare = 1 - _beta2, squareDebias = debias2, epsilon = _epsilon,
            rectifiedStep = -learningRate * rectification / debias1, momentumStep = -learningRate / debias1, lookahead = _lookaheadAlpha;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } gradient)
                continue; // as fastai: parameters without a gradient are left alone
            var decays = _decay[i] && _weightDecay != 0;
            if (decays && _kind != OptimizerKind.Adam)
                p.mul_(decayFactor); // decoupled weight decay, before the step
            if (decays && _kind == OptimizerKind.Adam)
                gradient = gradient.add(p, alpha: weightDecay); // L2: the decay joins the gradient

            _gradientAverages[i].mul_(gradientKeep).add_(gradient, alpha: gradientShare);
            _squareAverages[i].mul_(squareKeep).addcmul_(gradient, gradient, value: squareShare);

            if (rectification > 0)
            {
                var denominator = _squareAverages[i].div(squareDebias).sqrt_().add_(epsilon, HeldScalars.One);
                p.addcdiv_(_gradientAverages[i], denominator, value: rectifiedStep);
            }
            else
            {
                // RAdam's first steps, while the variance estimate is unreliable: momentum SGD.
                p.add_(_gradientAverages[i], alpha: momentumStep);
            }
        }

        if (_slowWeights is not null && _step % _lookaheadSteps == 0)
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                _slowWeights[i].add_(_parameters[i] - _slowWeights[i], alpha: lookahead);
                _parameters[i].copy_(_slowWeights[i]);
            }
        }
    }

    /// <summary>RAdam's variance rectification term at step <paramref name="step"/>, or 0 while it is undefined (ρ ≤ 5).</summary>
    internal double Rectification(int step)
    {
        var rhoInfinity = 2 / (1 - _beta2) - 1;
        var beta2Power = Math.Pow(_beta2, step);
        var rho = rhoInfinity - 2 * step * beta2Power / (1 - beta2Power);
        return rho > 5
            ? Math.Sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho))
            : 0;
    }

    public void Dispose()
    {
        foreach (var t in _gradientAverages.Concat(_squareAverages).Concat(_slowWeights ?? []))
            t.Dispose();
    }
}
