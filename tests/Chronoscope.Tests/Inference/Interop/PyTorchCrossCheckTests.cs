using System.Collections;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;
using Chronoscope.Tests.Cli;
using Chronoscope.Tests.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit.Abstractions;

namespace Chronoscope.Tests.Inference.Interop;

/// <summary>
/// Models crossing to PyTorch and back, checked by PyTorch itself: the reference script's network loads an exported
/// state_dict with <c>strict=True</c> and predicts the same, and a state_dict it saves is imported and explained by
/// <c>chronoscope cam</c> with the reference's own Grad-CAM maps; and every map method equals a plain PyTorch
/// implementation of its definition on the same weights, inputs and random draws.
/// </summary>
public sealed class PyTorchCrossCheckTests(ITestOutputHelper output) : IDisposable
{
    // Imports the reference script as a module and runs one task; tensors travel as torch.save files.
    private const string Driver = """
        import importlib.util, sys, torch
        spec = importlib.util.spec_from_file_location("pytorch_inception", sys.argv[1])
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)
        torch.set_num_threads(1)
        task = sys.argv[2]
        if task == "predict":
            arch, channels, classes, weights, inputs, out = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7], sys.argv[8]
            model = ref.build_model(arch, channels, classes)
            model.load_state_dict(torch.load(weights), strict=True)
            model.eval()
            with torch.no_grad():
                p = torch.softmax(model(torch.load(inputs)["x"]), 1)
            torch.save({"p": p.contiguous()}, out)
        elif task == "gradcam":
            data, weights, out = sys.argv[3], sys.argv[4], sys.argv[5]
            x, labels = ref.read_ucr(data)
            classes = ref.label_map(labels)
            y = torch.tensor([classes[l] for l in labels])
            x = torch.from_numpy(x)
            torch.manual_seed(3)
            model = ref.build_model("seed", x.shape[1], len(classes))
            with torch.no_grad():
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm1d):
                        m.weight.uniform_(0.8, 1.2); m.bias.uniform_(-0.2, 0.2)
                        m.running_mean.uniform_(-0.2, 0.2); m.running_var.uniform_(0.5, 1.5)
                        m.num_batches_tracked.fill_(3)
            torch.save(model.state_dict(), weights)
            model.eval()
            cam = ref.GradCam(model, "seed")(x, y)
            torch.save({"cam": cam.contiguous()}, out)
        elif task in ("maps", "drawn"):
            # Every map method written again here from its definition, on PyTorch's autograd, one plain loop per method
            # (no batching), for the (x, y) the test gives: the network's normalized inputs and targets; once in
            # float32, as the network runs, and once in float64, the reference both float32 results are held to.
            # "maps": the deterministic methods. "drawn": the methods that take the training series or random numbers
            # (the draws are the test's, as Chronoscope makes them per item: only what is done with them is tested).
            arch, channels, classes, weights, inputs, out = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7], sys.argv[8]
            layer = int(sys.argv[9]) if len(sys.argv) > 9 else None # another block of the seed's nn.Sequential than the last
            model = ref.build_model(arch, channels, classes)
            model.load_state_dict(torch.load(weights), strict=True)
            model.eval()
            given = torch.load(inputs)
            y = given["y"].long()
            def target_logit(series, targets):
                return model(series).gather(1, targets.view(-1, 1)).squeeze(1)
            def input_gradient(series, targets):
                series = series.clone().requires_grad_(True)
                target_logit(series, targets).sum().backward()
                return series.grad.detach()
            def cam_family(x, targets):
                # the feature layer's activations A and the gradients G of the target logits, (B, C, T)
                module, where = (model[layer], "output") if layer is not None else ref.feature_layer(model, arch)
                seen = {}
                def keep(m, i, o):
                    seen["a"] = (i[0] if where == "input" else o)
                    seen["a"].retain_grad()
                handle = module.register_forward_hook(keep)
                target_logit(x, targets).sum().backward()
                handle.remove()
                return seen["a"].detach(), seen["a"].grad.detach()
            def integrated_gradients(x, baseline):
                # the midpoint rule, 16 steps
                n = 16
                total = torch.zeros_like(x)
                for j in range(n):
                    total += input_gradient(baseline + (j + 0.5) / n * (x - baseline), y)
                return (x - baseline) * total / n
            def occlusion(x, fill, per_channel):
                # windows of 8 every 4 steps plus one flush with the end; the mean drop of the target logit per cell
                with torch.no_grad():
                    original = target_logit(x, y)
                    length = x.shape[2]
                    starts = list(range(0, length - 8 + 1, 4))
                    if starts[-1] + 8 < length:
                        starts.append(length - 8)
                    drops = torch.zeros_like(x if per_channel else x[:, :1])
                    covered = torch.zeros_like(drops)
                    for s in starts:
                        for c in (range(x.shape[1]) if per_channel else [None]):
                            hidden = x.clone()
                            where = c if per_channel else slice(None)
                            hidden[:, where, s:s + 8] = fill[:, where, s:s + 8]
                            row = c if per_channel else 0
                            drops[:, row, s:s + 8] += (original - target_logit(hidden, y)).view(-1, 1)
                            covered[:, row, s:s + 8] += 1
                    return drops / covered
            def deterministic_maps(x, drawn):
                A, G = cam_family(x, y)
                reductions = {"mean": lambda t, d: t.mean(d), "max": lambda t, d: t.amax(d),
                              "meanmax": lambda t, d: (t.mean(d) + t.amax(d)) / 2,
                              "median": lambda t, d: t.median(d).values}
                maps = {}
                for name, reduce in reductions.items():
                    maps["cam_" + name] = reduce(A, 1)
                    maps["gradcam_" + name] = (reduce(G, 2).unsqueeze(2) * A).mean(1)
                maps["gradcampaper"] = torch.relu((G.mean(2, keepdim=True) * A).sum(1))
                maps["hirescam"] = (G * A).sum(1)
                denominator = 2 * G ** 2 + A.sum(2, keepdim=True) * G ** 3
                alpha = G ** 2 / torch.where(denominator != 0, denominator, torch.ones_like(denominator))
                maps["gradcampp"] = torch.relu(((alpha * torch.relu(G)).sum(2, keepdim=True) * A).sum(1))
                g = input_gradient(x, y)
                maps["saliency"] = g.abs()
                maps["gxi"] = g * x
                maps["ig"] = integrated_gradients(x, torch.zeros_like(x))
                maps["occlusion"] = occlusion(x, torch.zeros_like(x), True)
                maps["occlusionall"] = occlusion(x, torch.zeros_like(x), False)
                return maps
            def drawn_maps(x, drawn):
                reference = drawn["reference"]                       # (R, C, T): the training series as the network sees them
                mean = reference.mean(0, keepdim=True).expand_as(x)  # the training mean, step by step
                low, high = x.amin(2, keepdim=True), x.amax(2, keepdim=True) # (B, C, 1): each series' channel range
                maps = {"ig_trainingmean": integrated_gradients(x, mean),
                        "ig_noise": integrated_gradients(x, low + drawn["uniform"] * (high - low))}
                # SmoothGrad: the mean |gradient| at x plus Gaussian noise of sigma times the channel's range
                noise = drawn["noise"]                               # (B, S, C, T) of N(0, 1)
                scale = (high - low) * float(drawn["sigma"])         # in Chronoscope's order, so float32 rounds the points alike
                total = torch.zeros_like(x)
                for s in range(noise.shape[1]):
                    total += input_gradient(x + noise[:, s] * scale, y).abs()
                maps["smoothgrad"] = total / noise.shape[1]
                # GradientSHAP: the mean of gradient x (x - x') at x' + a (x - x'), x' a training series drawn for each sample
                index, alphas = drawn["index"].long(), drawn["alpha"] # (B, S) each
                total = torch.zeros_like(x)
                for s in range(index.shape[1]):
                    baseline = reference[index[:, s]]
                    a = alphas[:, s].view(-1, 1, 1)
                    total += input_gradient(baseline + a * (x - baseline), y) * (x - baseline)
                maps["gradientshap"] = total / index.shape[1]
                maps["occlusion_seriesmean"] = occlusion(x, x.mean(2, keepdim=True).expand_as(x), True)
                maps["occlusion_trainingmean"] = occlusion(x, mean, True)
                # other targets than the label: the predicted class, and class 0 for every series
                with torch.no_grad():
                    predicted = model(x).argmax(1)
                A, G = cam_family(x, predicted)
                maps["gradcam_predicted"] = (G.mean(2, keepdim=True) * A).mean(1)
                maps["saliency_class0"] = input_gradient(x, torch.zeros_like(y)).abs()
                return maps
            compute = deterministic_maps if task == "maps" else drawn_maps
            drawn = {k: v for k, v in given.items() if k not in ("x", "y")}
            single = compute(given["x"], drawn)
            model.double()
            double = compute(given["x"].double(), {k: (v.double() if v.is_floating_point() else v) for k, v in drawn.items()})
            saved = {k: v.contiguous() for k, v in single.items()}
            saved.update({k + "64": v.float().contiguous() for k, v in double.items()})
            torch.save(saved, out)
        elif task == "tsai":
            # tsai's InceptionTimePlus with its defaults, module for module as tsai nests them (so the keys are its
            # keys): a bias-free bottleneck wherever in != 32 channels, no ReLU in modules 2 and 5, ReLU after each
            # addition, a shortcut that is ConvBN or, where the channels match, BatchNorm alone; GAP and Linear head.
            import collections
            nn = torch.nn
            def conv(ni, nf, k):
                return nn.Sequential(nn.Conv1d(ni, nf, k, padding=k // 2, bias=False))
            class Module(nn.Module):
                def __init__(self, ni, nf, act):
                    super().__init__()
                    self.bottleneck = conv(ni, nf, 1) if ni != nf else None
                    self.convs = nn.ModuleList([conv(nf if ni != nf else ni, nf, k) for k in (39, 19, 9)])
                    self.mp_conv = nn.Sequential(nn.MaxPool1d(3, stride=1, padding=1), conv(ni, nf, 1))
                    self.norm = nn.BatchNorm1d(nf * 4)
                    self.act = act
                def forward(self, x):
                    b = self.bottleneck(x) if self.bottleneck is not None else x
                    y = self.norm(torch.cat([c(b) for c in self.convs] + [self.mp_conv(x)], 1))
                    return torch.relu(y) if self.act else y
            class Block(nn.Module):
                def __init__(self, ni, nf=32, depth=6):
                    super().__init__()
                    self.depth = depth
                    self.inception = nn.ModuleList([Module(ni if d == 0 else nf * 4, nf, d % 3 != 2) for d in range(depth)])
                    self.shortcut = nn.ModuleList()
                    for d in range(2, depth, 3):
                        n_in = ni if d == 2 else nf * 4
                        self.shortcut.append(nn.BatchNorm1d(n_in) if n_in == nf * 4
                                             else nn.Sequential(nn.Conv1d(n_in, nf * 4, 1, bias=False), nn.BatchNorm1d(nf * 4)))
                def forward(self, x):
                    res = x
                    for d in range(self.depth):
                        x = self.inception[d](x)
                        if d % 3 == 2:
                            res = x = torch.relu(x + self.shortcut[d // 3](res))
                    return x
            class Gap(nn.Module):
                def forward(self, x):
                    return nn.functional.adaptive_avg_pool1d(x, 1).flatten(1)
            data, weights, out = sys.argv[3], sys.argv[4], sys.argv[5]
            x, labels = ref.read_ucr(data)
            x = torch.from_numpy(x)
            torch.manual_seed(4)
            model = nn.Sequential(collections.OrderedDict([
                ("backbone", nn.Sequential(Block(x.shape[1]))),
                ("head", nn.Sequential(nn.Sequential(Gap(), nn.Sequential(nn.Linear(128, len(set(labels)))))))]))
            with torch.no_grad():
                for m in model.modules():
                    if isinstance(m, nn.BatchNorm1d):
                        m.weight.uniform_(0.8, 1.2); m.bias.uniform_(-0.2, 0.2)
                        m.running_mean.uniform_(-0.2, 0.2); m.running_var.uniform_(0.5, 1.5)
            torch.save(model.state_dict(), weights)
            model.eval()
            with torch.no_grad():
                p = torch.softmax(model(x), 1)
            torch.save({"p": p.contiguous()}, out)
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> Networks => new()
    {
        // the reference's --arch, the dataset
        { "seed", "GunPoint" },
        { "tsai", "BasicMotions" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public async Task Should_Load_Into_The_Reference_Network_Strictly_And_Predict_The_Same(string arch, string dataset)
    {
        // Given a classifier of the reference's network (fastai's for --arch seed; the paper's with kernels 39, 19, 9
        // for --arch tsai), exported as a state_dict, and its normalized test inputs
        var (train, test) = Data(dataset);
        using var classifier = Exported(arch, train, seed: 31);
        var (weights, inputs) = (_folder.Combine("model.pt"), _folder.Combine("inputs.pt"));
        WriteInputs(classifier, test, [.. Enumerable.Range(0, test.Count)], inputs);

        // When PyTorch loads it into the reference network with strict=True and predicts
        var driver = _folder.Write("driver.py", Driver);
        var outPath = _folder.Combine("p.pt");
        await PyTorchReference.RunAsync(driver, PyTorchReference.ScriptPath(), "predict", arch,
            train.Channels.ToString(CultureInfo.InvariantCulture), train.Classes.Count.ToString(CultureInfo.InvariantCulture), weights, inputs, outPath);

        // Then its probabilities are the classifier's within 1e-5
        var theirs = ReadTensor(outPath, "p");
        var ours = classifier.Predict(test).Probabilities.ToArray();
        var difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{arch} {dataset}: PyTorch 1.13 vs Chronoscope probabilities max |Δ| {difference:E2} over {test.Count} series");
        Assert.Equal(ours.Length, theirs.Length);
        Assert.InRange(difference, 0, 1e-5);
    }

    [Theory]
    [InlineData("GunPoint")]
    [InlineData("BasicMotions")]
    public async Task Should_Import_A_Tsai_InceptionTimePlus_State_Dict_And_Predict_As_PyTorch_Does(string dataset)
    {
        // Given an InceptionTimePlus-shaped PyTorch network (one channel: a bottleneck in front of block 0 and a
        // convolving first shortcut; six: the same from six channels), its state_dict and its probabilities
        var test = dataset == "GunPoint" ? TestData.GunPointTestArff : TestData.File("BasicMotions", "BasicMotions_TEST.ts");
        var driver = _folder.Write("driver.py", Driver);
        var weights = _folder.Combine("tsai.pt");
        var reference = _folder.Combine("p.pt");
        await PyTorchReference.RunAsync(driver, PyTorchReference.ScriptPath(), "tsai", test, weights, reference);

        // When the state_dict is imported as tsai's (no normalization, as the Python side had none; classes sorted, as it sorts them)
        var data = DatasetReader.Read(test);
        var imported = PyTorchModels.Import(weights, new PyTorchImportOptions
        {
            Architecture = PyTorchArchitecture.Tsai,
            SeriesLength = data.Length,
            ClassNames = [.. data.Classes.Order(StringComparer.Ordinal)],
        });
        using var classifier = imported.Classifier;

        // Then the network is tsai's and predicts what PyTorch predicted
        Assert.Equal(InceptionTimeVariant.Tsai, classifier.Model.Options.Variant);
        Assert.Equal([39, 19, 9], classifier.Model.Options.KernelSizes);
        var theirs = ReadTensor(reference, "p");
        var ours = classifier.Predict(data).Probabilities.ToArray();
        Assert.Equal(theirs.Length, ours.Length);
        var difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"tsai InceptionTimePlus {dataset}: PyTorch 1.13 vs Chronoscope probabilities max |Δ| {difference:E2}");
        Assert.InRange(difference, 0, 1e-5);
    }

    [Fact]
    public async Task Should_Explain_A_Reference_State_Dict_With_The_References_Grad_Cam()
    {
        // Given a state_dict saved by the reference script (random BatchNorm statistics) and its Grad-CAM of every
        // GunPoint test series for its label, raw, on model[5]
        var driver = _folder.Write("driver.py", Driver);
        var weights = _folder.Combine("seed.pt");
        var reference = _folder.Combine("gradcam.pt");
        await PyTorchReference.RunAsync(driver, PyTorchReference.ScriptPath(), "gradcam", TestData.GunPointTestArff, weights, reference);

        // When chronoscope imports it (no normalization: the reference has none) and explains the same series
        var model = _folder.Combine("imported.chronoscope");
        var (code, _, error) = await CliRunner.RunAsync(
            ["import", "--from", "pytorch", weights, "--arch", "fastai", "--channels", "1", "--classes", "2", "--length", "150", "--class-names", "1", "2", "--out", model], _folder.Combine("cache"));
        Assert.True(code == 0, error);
        Assert.Contains("warning: no normalization statistics", error, StringComparison.Ordinal);
        (code, _, error) = await CliRunner.RunAsync(
            ["cam", "--model", model, "--data", TestData.GunPointTestArff, "--items", "all", "--method", "gradcam", "--reduction", "mean", "--layer", "5",
             "--target", "label", "--raw", "--out", _folder.Combine("maps"), "--name", "maps"], _folder.Combine("cache"));
        Assert.True(code == 0, error);

        // Then every map equals the reference's within 1e-5, and within 1e-5 of the largest map value
        var expected = ReadTensor(reference, "cam"); // (150 series × 150 steps)
        var rows = File.ReadAllLines(_folder.Combine("maps", "maps.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(150, rows.Length);
        var actual = rows.SelectMany(r => r[5..].Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        var largest = expected.Max(Math.Abs);
        output.WriteLine($"Grad-CAM of 150 GunPoint series: max |Δ| {difference:E2}, largest |map value| {largest:E2}");
        Assert.InRange(difference, 0, 1e-5);
        // Raw Grad-CAM values of this network are ~1e-5 themselves, so the bound that can fail is relative to their size.
        Assert.True(largest > 0, "all-zero maps would test nothing");
        Assert.InRange(difference / largest, 0, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public async Task Should_Compute_Every_Deterministic_Map_As_An_Independent_PyTorch_Implementation_Does(string arch, string dataset)
    {
        (string Key, ExplainOptions Options)[] methods =
        [
            .. CamFamily,
            ("saliency", new() { Method = MapMethod.Saliency }), ("gxi", new() { Method = MapMethod.GradientTimesInput }),
            ("ig", new() { Method = MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 16 }) }),
            ("occlusion", new() { Method = MapMethod.Occlusion(new OcclusionOptions { Window = 8, Stride = 4 }) }),
            ("occlusionall", new() { Method = MapMethod.Occlusion(new OcclusionOptions { Window = 8, Stride = 4, PerChannel = false }) }),
        ];
        await CompareMaps("maps", arch, dataset, layer: null, methods, weightSeed: 41);
    }

    [Theory]
    [InlineData("GunPoint", 0, 41)] // block 0: no bottleneck, one input channel
    [InlineData("GunPoint", 2, 41)] // a block that ends with a shortcut
    [InlineData("BasicMotions", 3, 7)] // a block after a shortcut, on six channels (weights of seed 41 make every paper Grad-CAM 0 there)
    public async Task Should_Compute_The_Cam_Family_At_Other_Blocks_As_An_Independent_PyTorch_Implementation_Does(string dataset, int layer, int weightSeed) =>
        await CompareMaps("maps", "seed", dataset, layer, CamFamily, weightSeed);

    [Theory]
    [MemberData(nameof(Networks))]
    public async Task Should_Compute_The_Maps_That_Use_Training_Series_Or_Random_Draws_As_An_Independent_PyTorch_Implementation_Does(string arch, string dataset)
    {
        // The training series as baselines and fills, SmoothGrad's noise, GradientSHAP's baselines and points on the
        // path, and targets other than the label. The draws are Chronoscope's (seed 5, per item), handed to PyTorch.
        const int seed = 5, samples = 6;
        const double sigma = 0.15;
        var (train, _) = Data(dataset);
        Hashtable Draws(TimeSeriesClassifier classifier, int[] items)
        {
            var (c, t) = (train.Channels, train.Length);
            using var trainLoader = classifier.CreateLoader(train, batchSize: train.Count);
            using var trainBatch = trainLoader.GetBatch([.. Enumerable.Range(0, train.Count)]);
            var reference = trainBatch.Inputs.detach().clone(); // (R, C, T), prepared as the network's input
            var draws = new AttributionContext(classifier.Model, 1, seed, items, reference.data<float>().ToArray(), train.Count);
            return new Hashtable
            {
                ["reference"] = reference,
                ["uniform"] = torch.tensor(draws.Random(IntegratedGradientsMap.NoiseStream, c * t, gaussian: false), [items.Length, c, t]),
                ["noise"] = torch.tensor(draws.Random(SmoothGradMap.NoiseStream, samples * c * t, gaussian: true), [items.Length, samples, c, t]),
                ["index"] = torch.tensor(draws.ReferenceIndices(GradientShapMap.BaselineStream, samples), [items.Length, samples]),
                ["alpha"] = torch.tensor(draws.Random(GradientShapMap.AlphaStream, samples, gaussian: false), [items.Length, samples]),
                ["sigma"] = torch.tensor(sigma),
            };
        }
        var window = new OcclusionOptions { Window = 8, Stride = 4 };
        (string Key, ExplainOptions Options)[] methods =
        [
            ("ig_trainingmean", new() { Method = MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 16, Baseline = AttributionBaseline.TrainingMean }) }),
            ("ig_noise", new() { Method = MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 16, Baseline = AttributionBaseline.Noise }) }),
            ("smoothgrad", new() { Method = MapMethod.SmoothGrad(new SmoothGradOptions { Samples = samples, Sigma = sigma }) }),
            ("gradientshap", new() { Method = MapMethod.GradientShap(new GradientShapOptions { Samples = samples }) }),
            ("occlusion_seriesmean", new() { Method = MapMethod.Occlusion(window with { Fill = OcclusionFill.SeriesMean }) }),
            ("occlusion_trainingmean", new() { Method = MapMethod.Occlusion(window with { Fill = OcclusionFill.TrainingMean }) }),
            ("gradcam_predicted", new() { Method = MapMethod.GradCam, Target = MapTarget.Predicted }),
            ("saliency_class0", new() { Method = MapMethod.Saliency, Target = MapTarget.Class(0) }),
        ];
        await CompareMaps("drawn", arch, dataset, layer: null, [.. methods.Select(m => (m.Key, m.Options with { Reference = train, Seed = seed }))],
            weightSeed: 41, Draws);
    }

    private static readonly (string Key, ExplainOptions Options)[] CamFamily =
    [
        ("cam_mean", new() { Method = MapMethod.Cam, Reduction = Reduction.Mean }), ("cam_max", new() { Method = MapMethod.Cam, Reduction = Reduction.Max }),
        ("cam_meanmax", new() { Method = MapMethod.Cam, Reduction = Reduction.MeanMax }), ("cam_median", new() { Method = MapMethod.Cam, Reduction = Reduction.Median }),
        ("gradcam_mean", new() { Method = MapMethod.GradCam, Reduction = Reduction.Mean }), ("gradcam_max", new() { Method = MapMethod.GradCam, Reduction = Reduction.Max }),
        ("gradcam_meanmax", new() { Method = MapMethod.GradCam, Reduction = Reduction.MeanMax }), ("gradcam_median", new() { Method = MapMethod.GradCam, Reduction = Reduction.Median }),
        ("gradcampaper", new() { Method = MapMethod.GradCamPaper }), ("hirescam", new() { Method = MapMethod.HiResCam }),
        ("gradcampp", new() { Method = MapMethod.GradCamPlusPlus }),
    ];

    private async Task CompareMaps(string task, string arch, string dataset, int? layer, (string Key, ExplainOptions Options)[] methods, int weightSeed,
        Func<TimeSeriesClassifier, int[], Hashtable>? draws = null)
    {
        // Given a classifier of the reference's network with random weights and BatchNorm statistics, exported as a
        // state_dict, and the normalized inputs and label indices of 4 test series whose float32 input gradient is
        // well conditioned (no ReLU input within rounding of zero: WellConditioned), with the draws of the methods that take them
        var (train, test) = Data(dataset);
        using var classifier = Exported(arch, train, weightSeed);
        var items = WellConditioned(classifier, test, 4);
        var (weights, inputs) = (_folder.Combine("model.pt"), _folder.Combine("inputs.pt"));
        using (torch.NewDisposeScope())
            WriteInputs(classifier, test, items, inputs, draws?.Invoke(classifier, items));

        // When PyTorch computes each method from its definition, and the explainer computes it (raw values, the
        // target asked, the layer asked or else the last block, one series at a time as they were chosen)
        var driver = _folder.Write("driver.py", Driver);
        var reference = _folder.Combine("maps.pt");
        string[] layerArgument = layer is { } l ? [l.ToString(CultureInfo.InvariantCulture)] : [];
        await PyTorchReference.RunAsync(driver, [PyTorchReference.ScriptPath(), task, arch,
            train.Channels.ToString(CultureInfo.InvariantCulture), train.Classes.Count.ToString(CultureInfo.InvariantCulture), weights, inputs, reference, .. layerArgument]);
        var explainer = new Explainer(classifier);

        // Then every map is as close to PyTorch's float64 maps as PyTorch's own float32 maps are (twice their largest
        // error, at least 1e-5 of the largest value): float32 rounding. The methods that take gradients at points other
        // than the chosen series (Integrated Gradients' path, SmoothGrad's noisy copies, GradientSHAP's points) are not
        // held to that everywhere: at a point within float32 rounding of a ReLU or max-pool boundary, which path a
        // float32 gradient takes depends on the batch it was computed in (the explainer takes an item's copies in one
        // pass, PyTorch here one at a time), and where it differs it moves the map over one receptive field (seen: a
        // run of 20-60 steps off by up to 2.4e-3 of the largest value, in maps whose other values agree to 1e-7). For
        // those, the median error is held to the same bound and the largest to 1e-2 of the largest value: a wrong
        // formula moves every value, far more than that.
        foreach (var (key, options) in methods)
        {
            var maps = explainer.Explain(test, items, options with { ForceScale = false, BatchSize = 1, Layer = layer });
            var exact = ReadTensor(reference, key + "64");
            var torch32 = ReadTensor(reference, key);
            var ours = maps.Values.ToArray();
            Assert.True(exact.Length == ours.Length, $"{key}: {ours.Length} values, PyTorch {exact.Length}");
            var largest = exact.Max(Math.Abs);
            var (ourMedian, ourError) = Errors(exact, ours);
            var (theirMedian, theirError) = Errors(exact, torch32);
            var sampled = key.StartsWith("ig", StringComparison.Ordinal) || key is "smoothgrad" or "gradientshap";
            var medianBound = Math.Max(2 * theirMedian, 1e-5 * largest);
            var bound = Math.Max(2 * theirError, (sampled ? 1e-2 : 1e-5) * largest);
            output.WriteLine($"{arch} {dataset} layer {layer?.ToString(CultureInfo.InvariantCulture) ?? "last"} {key}: |Δ| from float64 median {ourMedian:E2}, max {ourError:E2} (PyTorch float32 {theirMedian:E2}, {theirError:E2}), largest |value| {largest:E2}");
            Assert.True(largest > 0, $"{key}: all-zero maps would test nothing");
            Assert.True(ourMedian <= medianBound, $"{key}: median |Δ| {ourMedian:E2} from PyTorch's float64 maps, more than {medianBound:E2} (PyTorch's float32 maps: {theirMedian:E2}; largest |value| {largest:E2})");
            Assert.True(ourError <= bound, $"{key}: max |Δ| {ourError:E2} from PyTorch's float64 maps, more than {bound:E2} (PyTorch's float32 maps: {theirError:E2}; largest |value| {largest:E2})");
        }
    }

    /// <summary>The median and the largest absolute difference between two maps.</summary>
    private static (double Median, double Max) Errors(float[] exact, float[] other)
    {
        var differences = exact.Zip(other, (a, b) => (double)Math.Abs(a - b)).Order().ToArray();
        return (differences[differences.Length / 2], differences[^1]);
    }

    private static (TimeSeriesDataset Train, TimeSeriesDataset Test) Data(string dataset) => dataset == "BasicMotions"
        ? (DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TRAIN.ts")), DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TEST.ts")))
        : (DatasetReader.Read(TestData.GunPointTrainArff), DatasetReader.Read(TestData.GunPointTestArff));

    /// <summary>
    /// A classifier of the reference's network (fastai's for --arch seed; the paper's with kernels 39, 19, 9 for --arch
    /// tsai) with random weights and BatchNorm statistics, exported as the state_dict model.pt.
    /// </summary>
    private TimeSeriesClassifier Exported(string arch, TimeSeriesDataset train, int seed)
    {
        var shape = arch == "seed" ? new InceptionTimeOptions() : new InceptionTimeOptions { Variant = InceptionTimeVariant.Paper };
        var classifier = InteropModels.For(train, shape, seed, Normalization.PerChannel);
        PyTorchModels.Export(classifier, _folder.Combine("model.pt"));
        return classifier;
    }

    /// <summary>
    /// <paramref name="count"/> series spread over <paramref name="test"/> whose input gradient (the label's logit, one
    /// series at a time as the maps then take it) is the same function in float32 as in float64: within 1e-4 of its
    /// largest value. A ReLU input within float32 rounding of zero switches the gradient's path through the network
    /// (seen on an AVX2 machine: one such activation in the 5th block moved GunPoint's saliency by 0.5% of its largest
    /// value where PyTorch's float32 rounding happened not to), so on such a series two correct float32
    /// implementations need not agree. The choice depends on the weights and the machine's rounding, never on the maps.
    /// </summary>
    private static int[] WellConditioned(TimeSeriesClassifier classifier, TimeSeriesDataset test, int count)
    {
        var candidates = Enumerable.Range(0, 4 * count).Select(i => i * test.Count / (4 * count)).ToArray();
        var model = classifier.Model;
        model.eval();
        using var loader = classifier.CreateLoader(test, batchSize: 1);
        using var scope = torch.NewDisposeScope();
        torch.Tensor[] InputGradients(torch.ScalarType type) // each (1, C, T) in float64
        {
            model.to(type); // float32 to float64 and back is exact
            return [.. candidates.Select(item =>
            {
                using var batch = loader.GetBatch([item]);
                var x = batch.Inputs.to(type).detach().requires_grad_(true);
                model.call(x).gather(1, batch.Targets!.unsqueeze(1)).sum().backward();
                model.zero_grad();
                return x.grad!.to(torch.ScalarType.Float64);
            })];
        }
        var exact = InputGradients(torch.ScalarType.Float64);
        var rounded = InputGradients(torch.ScalarType.Float32);
        var chosen = candidates.Where((_, i) => ((rounded[i] - exact[i]).abs().max() / exact[i].abs().max()).item<double>() < 1e-4).Take(count).ToArray();
        Assert.True(chosen.Length == count, $"only {chosen.Length} of {candidates.Length} series have a float32 input gradient within 1e-4 of float64's");
        return chosen;
    }

    /// <summary>The normalized inputs x (and label indices y) of <paramref name="items"/>, as the network sees them, pickled to <paramref name="path"/>.</summary>
    private static void WriteInputs(TimeSeriesClassifier classifier, TimeSeriesDataset test, int[] items, string path, Hashtable? more = null)
    {
        using var loader = classifier.CreateLoader(test, batchSize: items.Length);
        using var batch = loader.GetBatch(items);
        using var stream = File.Create(path);
        var table = new Hashtable { ["x"] = batch.Inputs, ["y"] = batch.Targets! };
        foreach (DictionaryEntry entry in more ?? [])
            table[entry.Key] = entry.Value;
        PyTorchPickler.PickleStateDict(stream, table);
    }

    private static float[] ReadTensor(string path, string key)
    {
        using var scope = torch.NewDisposeScope();
        var table = PyTorchUnpickler.UnpickleStateDict(path);
        return ((torch.Tensor)table[key]!).contiguous().data<float>().ToArray();
    }
}
