using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// A way to turn a layer's activations (and, for gradient methods, the gradient of a class score with respect to them)
/// into one value per time step. The built-ins run on a whole batch at once with per-item weights; a method made from a
/// function runs item by item. Input attributions (Saliency, Gradient × Input, Integrated Gradients, SmoothGrad,
/// GradientSHAP, Occlusion, Random) explain the input itself and give one row per input channel
/// (<see cref="ActivationMaps.Channels"/>), except Occlusion over all channels at once; they are taken with respect to
/// the classifier's normalized input, the tensor the network sees. The CAM family explains a layer's time axis and
/// stays time-only (one row).
/// </summary>
public abstract class MapMethod
{
    private protected MapMethod(string name, bool usesGradients, bool usesReduction)
    {
        Name = name;
        UsesGradients = usesGradients;
        UsesReduction = usesReduction;
    }

    /// <summary>The name in titles and files, e.g. <c>GRAD-CAM</c>.</summary>
    public string Name { get; }

    /// <summary>True when the method needs the gradient of the target class's logit.</summary>
    public bool UsesGradients { get; }

    /// <summary>True when <see cref="ExplainOptions.Reduction"/> changes the result (it is then part of the title).</summary>
    public bool UsesReduction { get; }

    public override string ToString() => Name;

    /// <summary>
    /// The reference's "CAM" (<c>cam_acts</c>): the activations reduced over channels. Class-agnostic (no weights, no
    /// gradients), not Zhou et al.'s class activation mapping.
    /// </summary>
    public static MapMethod Cam { get; } = new CamMap();

    /// <summary>
    /// The reference's "GRAD-CAM" (<c>grad_cam_acts</c>): weights = the gradient reduced over time, map = the mean over
    /// channels of weight × activation, signed (no ReLU).
    /// </summary>
    public static MapMethod GradCam { get; } = new GradCamMap("GRAD-CAM", paper: false);

    /// <summary>Grad-CAM as its paper defines it (Selvaraju et al. 2017): the sum over channels, then ReLU.</summary>
    public static MapMethod GradCamPaper { get; } = new GradCamMap("Grad-CAM (paper)", paper: true);

    /// <summary>HiResCAM (Draelos and Carin 2020): the sum over channels of gradient × activation at each time step.</summary>
    public static MapMethod HiResCam { get; } = new HiResCamMap();

    /// <summary>Grad-CAM++ (Chattopadhay et al. 2018): weights from positive gradients with per-position coefficients, then ReLU.</summary>
    public static MapMethod GradCamPlusPlus { get; } = new GradCamPlusPlusMap();

    /// <summary>Every built-in method.</summary>
    public static IReadOnlyList<MapMethod> BuiltIn { get; } = [Cam, GradCam, GradCamPaper, HiResCam, GradCamPlusPlus];

    /// <summary>Saliency: |∂ logit / ∂ x| per channel and step.</summary>
    public static MapMethod Saliency { get; } = new SaliencyMap();

    /// <summary>Gradient × Input: ∂ logit / ∂ x ⊙ x per channel and step, signed.</summary>
    public static MapMethod GradientTimesInput { get; } = new GradientTimesInputMap();

    /// <summary>Integrated Gradients (Sundararajan et al. 2017), midpoint rule; default 64 steps from a zero baseline.</summary>
    public static MapMethod IntegratedGradients(IntegratedGradientsOptions? options = null) => new IntegratedGradientsMap(options ?? new());

    /// <summary>SmoothGrad (Smilkov et al. 2017) over Saliency; default 50 samples, sigma 15% of the range.</summary>
    public static MapMethod SmoothGrad(SmoothGradOptions? options = null) => new SmoothGradMap(options ?? new());

    /// <summary>GradientSHAP / expected gradients; needs <see cref="ExplainOptions.Reference"/> (the training data).</summary>
    public static MapMethod GradientShap(GradientShapOptions? options = null) => new GradientShapMap(options ?? new());

    /// <summary>Occlusion: the drop of the logit when a sliding window is hidden; default window 8, stride 4, per channel, zeros.</summary>
    public static MapMethod Occlusion(OcclusionOptions? options = null) => new OcclusionMap(options ?? new());

    /// <summary>The random control: seeded U[0, 1) values, blind to the model.</summary>
    public static MapMethod Random { get; } = new RandomMap();

    /// <summary>True for input attribution methods (channel × time maps), false for the CAM family and map functions.</summary>
    public bool IsInputAttribution => this is AttributionMethod;

    /// <summary>
    /// A method of your own (the reference's <c>func_cam</c>): <paramref name="map"/> gets one item at a time and returns
    /// one raw value per time step of the input; scaling follows <see cref="ExplainOptions.ForceScale"/> afterwards.
    /// Say whether it uses <see cref="MapRequest.Reduction"/>, so titles name the reduction only when it matters.
    /// </summary>
    public static MapMethod FromFunction(string name, Func<MapRequest, IReadOnlyList<float>> map, bool usesReduction = true) =>
        new FunctionMap(name, map, usesReduction);

    /// <summary>(B, C, T') activations and, for gradient methods, their gradients to (B, T') maps.</summary>
    internal abstract torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction);

    /// <summary><paramref name="values"/> reduced over <paramref name="dimension"/> (the dimension is removed).</summary>
    internal static torch.Tensor Reduce(torch.Tensor values, long dimension, Reduction reduction) => reduction switch
    {
        Reduction.Mean => values.mean([dimension]),
        Reduction.Max => values.amax([dimension]),
        Reduction.MeanMax => (values.mean([dimension]) + values.amax([dimension])) / 2,
        // torch.median: the lower of the two middle values when the count is even
        Reduction.Median => values.sort(dimension).Values.select(dimension, (values.shape[dimension] - 1) / 2),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, null),
    };
}
