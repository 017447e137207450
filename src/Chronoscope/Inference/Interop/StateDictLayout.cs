using System.Globalization;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Inference.Interop;

/// <summary>
/// How the parameter names of <see cref="InceptionTime"/> (<c>blocks.2.shortcut.conv.weight</c>) read in a Python
/// network's <c>state_dict</c>, and which network a foreign <c>state_dict</c> describes, inferred from its shapes.
/// </summary>
internal sealed class StateDictLayout
{
    private readonly int _depth;

    public StateDictLayout(PyTorchArchitecture architecture, int depth)
    {
        Architecture = architecture;
        _depth = depth;
    }

    public PyTorchArchitecture Architecture { get; }

    /// <summary>The Chronoscope variant this layout imports as.</summary>
    public InceptionTimeVariant Variant => VariantOf(Architecture);

    public static InceptionTimeVariant VariantOf(PyTorchArchitecture architecture) => architecture switch
    {
        PyTorchArchitecture.Fastai => InceptionTimeVariant.Fastai,
        PyTorchArchitecture.Tsai => InceptionTimeVariant.Tsai,
        _ => InceptionTimeVariant.Paper,
    };

    public static PyTorchArchitecture ArchitectureOf(InceptionTimeVariant variant) => variant switch
    {
        InceptionTimeVariant.Fastai => PyTorchArchitecture.Fastai,
        InceptionTimeVariant.Tsai => PyTorchArchitecture.Tsai,
        _ => PyTorchArchitecture.Paper,
    };

    /// <summary>The lower-case name of an architecture, as files and messages spell it.</summary>
    public static string NameOf(PyTorchArchitecture architecture) => architecture.ToString().ToLowerInvariant();

    /// <summary>The foreign key of Chronoscope's parameter or buffer <paramref name="name"/>.</summary>
    public string ForeignName(string name)
    {
        var parts = name.Split('.');
        if (parts[0] == "head")
        {
            return Architecture switch
            {
                PyTorchArchitecture.Fastai => $"{_depth + 2}.{parts[1]}",
                PyTorchArchitecture.Tsai => $"head.0.1.0.{parts[1]}",
                _ => $"fc.{parts[1]}",
            };
        }
        if (parts.Length < 5 || parts[0] != "blocks")
            throw new InvalidOperationException($"unexpected InceptionTime parameter '{name}'");
        var d = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var rest = string.Join('.', parts.Skip(4));
        return (parts[2], parts[3], Architecture) switch
        {
            ("inception", "bottleneck", PyTorchArchitecture.Fastai) => $"{d}.layers.0.bottleneck.{rest}",
            ("inception", "bottleneck", PyTorchArchitecture.Tsai) => $"backbone.0.inception.{d}.bottleneck.0.{rest}",
            ("inception", "bottleneck", _) => $"inception.{d}.bottleneck.{rest}",
            ("inception", "convs", PyTorchArchitecture.Fastai) => $"{d}.layers.0.convs.{rest}",
            ("inception", "convs", PyTorchArchitecture.Tsai) => $"backbone.0.inception.{d}.convs.{parts[4]}.0.{parts[5]}",
            ("inception", "convs", _) => $"inception.{d}.convs.{rest}",
            ("inception", "pool_conv", PyTorchArchitecture.Fastai) => $"{d}.layers.0.maxpool_bottleneck.1.{rest}",
            ("inception", "pool_conv", PyTorchArchitecture.Tsai) => $"backbone.0.inception.{d}.mp_conv.1.0.{rest}",
            ("inception", "pool_conv", _) => $"inception.{d}.maxconvpool.1.{rest}",
            ("inception", "bn", PyTorchArchitecture.Fastai) => $"{d}.layers.0.bn_relu.0.{rest}",
            ("inception", "bn", PyTorchArchitecture.Tsai) => $"backbone.0.inception.{d}.norm.{rest}",
            ("inception", "bn", _) => $"inception.{d}.bn.{rest}",
            ("shortcut", "conv", PyTorchArchitecture.Fastai) => $"{d}.layers.1.conv.{rest}",
            ("shortcut", "conv", PyTorchArchitecture.Tsai) => $"backbone.0.shortcut.{d / 3}.0.{rest}",
            ("shortcut", "conv", _) => $"shortcut.{d / 3}.0.{rest}",
            ("shortcut", "bn", PyTorchArchitecture.Fastai) => $"{d}.layers.1.bn.{rest}",
            // tsai's shortcut is ConvBN (conv, then BN at index 1) or, where the channels match, the BN alone.
            ("shortcut", "bn", PyTorchArchitecture.Tsai) => $"backbone.0.shortcut.{d / 3}.{(ShortcutConvolves(d) ? "1." : "")}{rest}",
            ("shortcut", "bn", _) => $"shortcut.{d / 3}.1.{rest}",
            _ => throw new InvalidOperationException($"unexpected InceptionTime parameter '{name}'"),
        };
    }

    // Whether block d's shortcut has a convolution (tsai's has none where the channels match); see ForModel.
    private Func<int, bool> ShortcutConvolves { get; init; } = _ => true;

    /// <summary>The layout of <paramref name="model"/>'s variant, for the model's own parameters.</summary>
    public static StateDictLayout ForModel(InceptionTime model)
    {
        var names = model.state_dict().Keys.ToHashSet();
        return new StateDictLayout(ArchitectureOf(model.Options.Variant), model.Options.Depth)
        {
            ShortcutConvolves = d => names.Contains($"blocks.{d}.shortcut.conv.weight"),
        };
    }

    /// <summary>
    /// The network a foreign <c>state_dict</c> describes: its layout, shape, input channels and classes, read from the
    /// shapes of a few keys. Throws <see cref="ModelInteropException"/> naming the first key that is missing.
    /// </summary>
    public static (InceptionTimeOptions Options, int Channels, int Classes) Infer(
        PyTorchArchitecture architecture, IReadOnlyDictionary<string, torch.Tensor> tensors, string path)
    {
        string Block(int d, string part) => architecture switch
        {
            PyTorchArchitecture.Fastai => $"{d}.layers.0.{part}",
            PyTorchArchitecture.Tsai => $"backbone.0.inception.{d}.{part}",
            _ => $"inception.{d}.{part}",
        };
        var (norm, poolConv, conv, bottleneck) = architecture switch
        {
            PyTorchArchitecture.Fastai => ("bn_relu.0.weight", "maxpool_bottleneck.1.weight", "convs.{0}.weight", "bottleneck.weight"),
            PyTorchArchitecture.Tsai => ("norm.weight", "mp_conv.1.0.weight", "convs.{0}.0.weight", "bottleneck.0.weight"),
            _ => ("bn.weight", "maxconvpool.1.weight", "convs.{0}.weight", "bottleneck.weight"),
        };

        torch.Tensor Require(string key) => tensors.TryGetValue(key, out var t) ? t
            : throw new ModelInteropException(path,
                $"missing key '{key}': not a {NameOf(architecture)}-layout InceptionTime state_dict (its first keys: {string.Join(", ", tensors.Keys.Order(StringComparer.Ordinal).Take(3))}); is the architecture right?");

        var depth = 0;
        while (tensors.ContainsKey(Block(depth, norm)))
            depth++;
        var pool = Require(Block(0, poolConv)); // (F, C, 1)
        if (pool.dim() != 3)
            throw WrongRank(path, Block(0, poolConv), pool, 3);
        if (depth == 0)
            Require(Block(0, norm));
        var filters = (int)pool.shape[0];
        var channels = (int)pool.shape[1];

        var kernels = new List<int>();
        while (tensors.TryGetValue(Block(0, string.Format(CultureInfo.InvariantCulture, conv, kernels.Count)), out var c))
        {
            if (c.dim() != 3)
                throw WrongRank(path, Block(0, string.Format(CultureInfo.InvariantCulture, conv, kernels.Count)), c, 3);
            kernels.Add((int)c.shape[2]);
        }
        if (kernels.Count == 0)
            Require(Block(0, string.Format(CultureInfo.InvariantCulture, conv, 0)));
        if (architecture != PyTorchArchitecture.Paper && kernels.FirstOrDefault(k => k % 2 == 0) is var even and > 0)
            throw new ModelInteropException(path, $"key '{Block(0, string.Format(CultureInfo.InvariantCulture, conv, kernels.IndexOf(even)))}' has an even kernel ({even}): {NameOf(architecture)} networks pad k/2 on both sides and use odd kernels only.");

        var bottleneckKey = Enumerable.Range(0, depth).Select(d => Block(d, bottleneck)).FirstOrDefault(tensors.ContainsKey);
        var bottleneckSize = bottleneckKey is null ? 0 : (int)tensors[bottleneckKey].shape[0];

        var headKey = architecture switch
        {
            PyTorchArchitecture.Fastai => $"{depth + 2}.weight",
            PyTorchArchitecture.Tsai => "head.0.1.0.weight",
            _ => "fc.weight",
        };
        var head = Require(headKey); // (K, features)
        if (head.dim() != 2)
            throw WrongRank(path, headKey, head, 2);

        var options = new InceptionTimeOptions
        {
            Variant = VariantOf(architecture),
            Depth = depth,
            Filters = filters,
            KernelSizes = kernels,
            BottleneckSize = bottleneckSize,
        };
        return (options, channels, (int)head.shape[0]);
    }

    public static string Shape(torch.Tensor tensor) => $"({string.Join(", ", tensor.shape)})";

    private static ModelInteropException WrongRank(string path, string key, torch.Tensor tensor, int rank) =>
        new(path, $"key '{key}' has shape {Shape(tensor)}, expected {rank} dimensions.");
}
