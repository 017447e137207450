using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Benchmarks;

/// <summary>
/// The published InceptionTime recipe's model choice, as a lever of the <c>accuracy</c> workload (<c>--keep best-train-loss</c>):
/// after the last training batch the network takes back the weights and BatchNorm statistics of the epoch with the
/// lowest mean training loss (Keras' <c>ModelCheckpoint(monitor="loss")</c>), before the last validation. Nothing looks
/// at the validation split.
/// </summary>
internal sealed class BestTrainingLossWeights : EpochTrainingLoss, IDisposable
{
    private (string Name, torch.Tensor Value)[] _state = [];
    private torch.Tensor[]? _best;
    private double _bestLoss;

    /// <summary>The epoch whose weights the network ended with (counted from 0), or null before a fit.</summary>
    public int? BestEpoch { get; private set; }

    // After the optimizer step is counted (0), before anyone validates.
    public override int Order => -27;

    public override void BeforeFit(TrainingContext context)
    {
        Release();
        _state = [.. context.Learner.Model.state_dict().Select(p => (p.Key, p.Value))];
        _bestLoss = double.PositiveInfinity;
        BestEpoch = null;
    }

    protected override void AfterEpochLoss(TrainingContext context, double loss)
    {
        using var noGrad = torch.no_grad();
        if (loss < _bestLoss)
        {
            _bestLoss = loss;
            BestEpoch = context.Epoch;
            if (_best is null)
                _best = [.. _state.Select(s => s.Value.detach().clone().DetachFromDisposeScope())];
            else
                for (var i = 0; i < _state.Length; i++)
                    _best[i].copy_(_state[i].Value);
        }
        if (context.Epoch == context.EpochCount - 1 && BestEpoch != context.Epoch && _best is not null)
        {
            for (var i = 0; i < _state.Length; i++)
                _state[i].Value.copy_(_best[i]);
        }
    }

    public override void AfterFit(TrainingContext context) => Release();

    public void Dispose() => Release();

    private void Release()
    {
        foreach (var tensor in _best ?? [])
            tensor.Dispose();
        _best = null;
    }
}
