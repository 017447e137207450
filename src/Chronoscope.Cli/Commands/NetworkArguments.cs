using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Chronoscope.Models;
using Chronoscope.Reports;

namespace Chronoscope.Cli.Commands;

/// <summary>The network's shape on the command line: <c>--variant --depth --filters --kernels --bottleneck</c>.</summary>
internal sealed class NetworkArguments
{
    public NetworkArguments()
    {
        Variant = Choice.Option<InceptionTimeVariant>("--variant",
            "The InceptionTime to build: fastai's (the reference tutorial's), the paper's (kernels 40,20,10, three-module shortcuts, average-pool head) or tsai's InceptionTimePlus (the paper's with kernels 39,19,9, ReLU after each addition).",
            SettingNames.Of);
        Depth = new Option<int>("--depth") { Description = "Inception blocks; every third ends with a shortcut.", DefaultValueFactory = _ => 6 }.AtLeast(1, NetworkLimits.MaxDepth);
        Filters = new Option<int>("--filters") { Description = "Filters per branch; a block outputs 4 × this many channels.", DefaultValueFactory = _ => 32 }.AtLeast(1, NetworkLimits.MaxFilters);
        Kernels = new Option<int[]?>("--kernels")
        {
            Description = "Kernel sizes of the convolution branches, comma-separated [default: 39,19,9; 40,20,10 with --variant paper].",
            HelpName = "sizes",
            CustomParser = ParseKernels,
        };
        Bottleneck = new Option<int>("--bottleneck") { Description = "Channels of the 1×1 bottleneck before the branches; 0 for none.", DefaultValueFactory = _ => 32 }.AtLeast(0, NetworkLimits.MaxBottleneck);
    }

    public Option<Choice<InceptionTimeVariant>> Variant { get; }

    public Option<int> Depth { get; }

    public Option<int> Filters { get; }

    public Option<int[]?> Kernels { get; }

    public Option<int> Bottleneck { get; }

    /// <summary>All of them, to add to a command.</summary>
    public IEnumerable<Option> All => [Variant, Depth, Filters, Kernels, Bottleneck];

    /// <summary>The names of those given explicitly on the command line.</summary>
    public IReadOnlyList<string> Given(ParseResult parse) =>
        [.. All.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name)];

    /// <summary>The network's shape the command line asks for.</summary>
    public InceptionTimeOptions Read(ParseResult parse)
    {
        var variant = parse.GetRequiredValue(Variant).Value;
        var baseline = variant == InceptionTimeVariant.Paper ? InceptionTimeOptions.Paper : new InceptionTimeOptions { Variant = variant };
        return baseline with
        {
            Depth = parse.GetValue(Depth),
            Filters = parse.GetValue(Filters),
            KernelSizes = parse.GetValue(Kernels) is { Length: > 0 } kernels ? kernels : baseline.KernelSizes,
            BottleneckSize = parse.GetValue(Bottleneck),
        };
    }

    /// <summary>Refuses, as a command-line mistake, a network too large to build for this data (<see cref="NetworkLimits.MaxParameters"/>).</summary>
    public static void CheckSize(int channels, int classes, InceptionTimeOptions options)
    {
        var parameters = NetworkLimits.Parameters(channels, classes, options);
        if (parameters > NetworkLimits.MaxParameters)
            throw new UsageException($"--depth {options.Depth} --filters {options.Filters} --kernels {string.Join(",", options.KernelSizes)} --bottleneck {options.BottleneckSize}: " +
                $"expected a network of at most {NetworkLimits.MaxParameters:N0} parameters, found about {parameters:N0} for {channels} channels and {classes} classes.");
    }

    /// <summary>"39,19,9" → [39, 19, 9]; anything else is a parse error that shows the expected form.</summary>
    private static int[]? ParseKernels(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts.Length > NetworkLimits.MaxKernels || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i])
                || sizes[i] is < 1 or > NetworkLimits.MaxKernelSize)
            {
                result.AddError($"--kernels {Output.TerminalText.Escape(text)}: expected 1 to {NetworkLimits.MaxKernels} kernel sizes from 1 to {NetworkLimits.MaxKernelSize:N0} separated by commas, e.g. 39,19,9");
                return null;
            }
        }
        return sizes;
    }
}
