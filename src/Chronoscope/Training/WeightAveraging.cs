using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Training;

/// <summary>
/// Stochastic weight averaging (Izmailov et al. 2018) over the end of a fit: the mean of the weights after every
/// training step from <see cref="StartFraction"/> of the fit on. Before the last epoch's validation the network takes
/// the averaged weights, and BatchNorm's statistics are recomputed on the training set for them (the averaged network
/// never ran, so no running statistics belong to it).
/// </summary>
public sealed class WeightAveraging : Callback, IDisposable
{
    private Parameter[] _parameters = [];
    private torch.Tensor[]? _sums;
    private int _count;

    /// <param name="startFraction">Share of the fit's steps after which averaging starts, 0 to 1 (exclusive).</param>
    public WeightAveraging(double startFraction = 0.75)
    {
        if (startFraction is < 0 or >= 1 || double.IsNaN(startFraction))
            throw new ArgumentOutOfRangeException(nameof(startFraction), startFraction, "expected a share from 0 to 1 (exclusive)");
        StartFraction = startFraction;
    }

    /// <summary>Share of the fit's steps after which averaging starts.</summary>
    public double StartFraction { get; }

    /// <summary>Steps averaged in the last fit.</summary>
    public int AveragedSteps => _count;

    // Before BatchNormCalibrator (-25): the weights are in place before anyone validates.
    public override int Order => -27;

    public override void BeforeFit(TrainingContext context)
    {
        Release();
        _parameters = [.. context.Learner.Model.parameters()];
        _count = 0;
    }

    public override void AfterTrainBatch(TrainingContext context)
    {
        if (context.Position <= StartFraction)
            return;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (_sums is null)
        {
            _sums = [.. _parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        }
        else
        {
            for (var i = 0; i < _parameters.Length; i++)
                _sums[i].add_(_parameters[i], HeldScalars.One);
        }
        _count++;
    }

    public override void BeforeValidate(TrainingContext context)
    {
        if (context.Epoch != context.EpochCount - 1)
            return;
        if (_sums is null)
        {
            // A fit whose end moved earlier (an automatic budget's first cycle that needed no second) may end before
            // the averaging was to start: say so rather than let the last step's weights pass for an average.
            context.Note(string.Create(CultureInfo.InvariantCulture,
                $"stochastic weight averaging averaged no step: the fit ended after {context.Iteration:N0} steps, before the share of {StartFraction:0.##} of its planned steps where averaging was to start; the saved weights are the last step's."));
            return;
        }
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            for (var i = 0; i < _parameters.Length; i++)
                _parameters[i].copy_(_sums[i] / _count);
        }
        context.Learner.RecalibrateBatchNorm();
        context.Note($"the saved weights are the average of the last {_count} steps' (stochastic weight averaging), with BatchNorm statistics recomputed for them.");
        Release();
    }

    public override void AfterFit(TrainingContext context) => Release();

    public void Dispose() => Release();

    private void Release()
    {
        foreach (var sum in _sums ?? [])
            sum.Dispose();
        _sums = null;
    }
}
