using System.Collections;
using System.IO.Compression;
using System.Text;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Chronoscope.Tests.Inference.Interop;

/// <summary>Export to a state_dict and import back: weights bit for bit, the Python key layouts, and bad files refused in one line.</summary>
public sealed class PyTorchModelsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static InceptionTimeOptions Shape(InceptionTimeVariant variant) =>
        SmallModels.Shape with { Depth = 6, Variant = variant };

    public static TheoryData<InceptionTimeVariant, WeightFormat> VariantsAndFormats => new()
    {
        { InceptionTimeVariant.Fastai, WeightFormat.PyTorch },
        { InceptionTimeVariant.Fastai, WeightFormat.Safetensors },
        { InceptionTimeVariant.Paper, WeightFormat.PyTorch },
        { InceptionTimeVariant.Paper, WeightFormat.Safetensors },
        { InceptionTimeVariant.Tsai, WeightFormat.PyTorch },
        { InceptionTimeVariant.Tsai, WeightFormat.Safetensors },
    };

    [Theory]
    [MemberData(nameof(VariantsAndFormats))]
    public void Should_Round_Trip_Weights_And_Predictions_Bit_For_Bit(InceptionTimeVariant variant, WeightFormat format)
    {
        // Given a GunPoint classifier with random BatchNorm statistics, exported with its JSON beside it
        using var original = InteropModels.GunPoint(Shape(variant));
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var path = _folder.Combine(format == WeightFormat.PyTorch ? "model.pt" : "model.safetensors");
        using (new TensorLeakCheck())
        {
            var files = PyTorchModels.Export(original, path, format);
            Assert.Equal(_folder.Combine("model.json"), files.MetadataPath);

            // When it is imported back by its architecture alone
            var imported = PyTorchModels.Import(path, new PyTorchImportOptions { Architecture = ArchitectureOf(variant) });
            using var classifier = imported.Classifier;

            // Then every parameter and buffer, the network's shape and what the JSON carries are the same
            Assert.Empty(imported.Warnings);
            Assert.Equal(original.Model.Options with { KernelSizes = [] }, classifier.Model.Options with { KernelSizes = [] });
            Assert.Equal(original.Model.Options.KernelSizes, classifier.Model.Options.KernelSizes);
            var expected = InteropModels.Bytes(original.Model);
            var actual = InteropModels.Bytes(classifier.Model);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (name, bytes) in expected)
                Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
            Assert.Equal(original.Classes, classifier.Classes);
            Assert.Equal(original.Normalizer.Kind, classifier.Normalizer.Kind);
            Assert.Equal(original.Normalizer.Offsets, classifier.Normalizer.Offsets);
            Assert.Equal(original.Normalizer.Scales, classifier.Normalizer.Scales);
            Assert.Equal((original.SeriesLength, original.MissingValues, original.DatasetName), (classifier.SeriesLength, classifier.MissingValues, classifier.DatasetName));

            // and so are the predictions, bit for bit
            var before = original.Predict(test).Probabilities.ToArray();
            var after = classifier.Predict(test).Probabilities.ToArray();
            Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), after.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Should_Key_The_Default_Network_As_Fastai_And_The_Reference_Do()
    {
        // Given the reference network (421,666 parameters for 1 channel and 2 classes)
        using var classifier = InteropModels.GunPoint(new InceptionTimeOptions());
        var path = _folder.Combine("fastai.pt");

        // When it is exported
        PyTorchModels.Export(classifier, path);

        // Then its keys are the fastai module names pytorch_inception.py --arch seed reproduces
        using var scope = torch.NewDisposeScope();
        var tensors = PyTorchUnpickler.UnpickleStateDict(path).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (torch.Tensor)e.Value!);
        Assert.Equal(421_666, tensors.Where(t => !t.Key.Contains("running_") && !t.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Sum(t => t.Value.numel()));
        Assert.Equal(78, tensors.Count); // per block 3 convs, pool conv, 5 BatchNorm tensors; 5 bottlenecks with bias, 2 shortcuts of 6, the head
        Assert.Equal([32, 1, 39], tensors["0.layers.0.convs.0.weight"].shape);
        Assert.Equal([32, 1, 1], tensors["0.layers.0.maxpool_bottleneck.1.weight"].shape);
        Assert.False(tensors.ContainsKey("0.layers.0.bottleneck.weight"));
        Assert.Equal([32], tensors["1.layers.0.bottleneck.bias"].shape);
        Assert.Equal([128, 128, 1], tensors["2.layers.1.conv.weight"].shape);
        Assert.Equal([128], tensors["5.layers.1.bn.running_var"].shape);
        Assert.Equal([128], tensors["4.layers.0.bn_relu.0.running_mean"].shape);
        Assert.Equal(torch.int64, tensors["3.layers.0.bn_relu.0.num_batches_tracked"].dtype);
        Assert.Equal([2, 256], tensors["8.weight"].shape);
    }

    [Fact]
    public void Should_Key_A_Tsai_Network_As_InceptionTimePlus_Does()
    {
        // Given tsai's network for one channel: a bottleneck in front of it, a BatchNorm-only second shortcut
        using var classifier = InteropModels.GunPoint(new InceptionTimeOptions { Variant = InceptionTimeVariant.Tsai });
        var path = _folder.Combine("tsai.pt");

        // When it is exported
        PyTorchModels.Export(classifier, path);

        // Then the keys are InceptionTimePlus's
        using var scope = torch.NewDisposeScope();
        var tensors = PyTorchUnpickler.UnpickleStateDict(path).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (torch.Tensor)e.Value!);
        Assert.Equal([32, 1, 1], tensors["backbone.0.inception.0.bottleneck.0.weight"].shape);
        Assert.Equal([32, 32, 39], tensors["backbone.0.inception.0.convs.0.0.weight"].shape);
        Assert.Equal([32, 1, 1], tensors["backbone.0.inception.0.mp_conv.1.0.weight"].shape);
        Assert.Equal([128], tensors["backbone.0.inception.5.norm.running_var"].shape);
        Assert.Equal([128, 1, 1], tensors["backbone.0.shortcut.0.0.weight"].shape);
        Assert.Equal([128], tensors["backbone.0.shortcut.0.1.weight"].shape);
        Assert.Equal([128], tensors["backbone.0.shortcut.1.running_mean"].shape);
        Assert.False(tensors.ContainsKey("backbone.0.shortcut.1.0.weight"));
        Assert.Equal([2, 128], tensors["head.0.1.0.weight"].shape);
        Assert.DoesNotContain(tensors.Keys, k => !k.StartsWith("backbone.0.", StringComparison.Ordinal) && !k.StartsWith("head.0.1.0.", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Take_Options_Over_The_Json_And_Warn_When_Both_Are_Silent()
    {
        using var original = InteropModels.GunPoint(Shape(InceptionTimeVariant.Fastai));
        var path = _folder.Combine("weights.pt");
        PyTorchModels.Export(original, path);
        File.Delete(_folder.Combine("weights.json"));

        // Without JSON or options: the length must be given, classes and normalization default with a warning each
        var missingLength = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path));
        Assert.Contains("series length is unknown", missingLength.Message, StringComparison.Ordinal);
        var bare = PyTorchModels.Import(path, new PyTorchImportOptions { SeriesLength = 150 });
        using (bare.Classifier)
        {
            Assert.Equal(["0", "1"], bare.Classifier.Classes);
            Assert.Equal(Normalization.None, bare.Classifier.Normalizer.Kind);
            Assert.Equal(2, bare.Warnings.Count);
            Assert.Contains(bare.Warnings, w => w.Contains("no normalization statistics", StringComparison.Ordinal));
        }

        // A hand-written JSON gives classes and statistics; options win over it
        _folder.Write("weights.json", """{ "classes": ["Gun", "Point"], "seriesLength": 150, "normalization": { "kind": "per-channel", "offsets": [0.5], "scales": [2] } }""");
        var fromJson = PyTorchModels.Import(path);
        using (fromJson.Classifier)
        {
            Assert.Empty(fromJson.Warnings);
            Assert.Equal(["Gun", "Point"], fromJson.Classifier.Classes);
            Assert.Equal([0.5f], fromJson.Classifier.Normalizer.Offsets);
        }
        var fromOptions = PyTorchModels.Import(path, new PyTorchImportOptions { ClassNames = ["a", "b"], SeriesLength = 7 });
        using (fromOptions.Classifier)
        {
            Assert.Equal(["a", "b"], fromOptions.Classifier.Classes);
            Assert.Equal(7, fromOptions.Classifier.SeriesLength);
        }
    }

    [Theory]
    [InlineData("""{ "classes": ["a", "a"] }""", "\"classes\": 'a' names two outputs; each output needs its own name.")]
    [InlineData("""{ "classes": [null, "b"] }""", "\"classes\": name 1 of 2 is empty; each output needs a name.")]
    [InlineData("""{ "classes": ["a", " "] }""", "\"classes\": name 2 of 2 is empty; each output needs a name.")]
    [InlineData("""{ "normalization": { "kind": "per-channel", "offsets": [0.5], "scales": [-2] } }""", "\"normalization\": the scales must be finite and at least 0, found -2.")]
    public void Should_Refuse_Metadata_That_Would_Make_A_Model_File_Refused(string json, string expected)
    {
        // Given weights and a hand-written JSON beside them whose class names do not tell the outputs apart, or whose
        // scale is negative (what a model file's own checks refuse, so that the import never writes such a file)
        using var original = InteropModels.GunPoint(Shape(InceptionTimeVariant.Fastai));
        var path = _folder.Combine("weights.pt");
        PyTorchModels.Export(original, path);
        var metadata = _folder.Write("weights.json", json);

        // When they are imported, then the JSON is refused naming the field
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path, new PyTorchImportOptions { SeriesLength = 150 }));
        Assert.Equal($"{metadata}: {expected}", error.Message);

        // and names given as options are held to the same rule, the weights file named
        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path, new PyTorchImportOptions { SeriesLength = 150, ClassNames = ["x", "x"] }));
        Assert.Equal($"{path}: the class names given: 'x' names two outputs; each output needs its own name.", error.Message);
    }

    [Fact]
    public void Should_Refuse_A_Missing_Key_A_Wrong_Shape_And_The_Wrong_Architecture_Naming_The_Key()
    {
        var path = GoodFastaiWeights();
        string Rewrite(string name, Action<Dictionary<string, torch.Tensor>> change) => Rewritten(path, name, change);

        var missing = Rewrite("missing.pt", t => t.Remove("3.layers.0.convs.1.weight"));
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(missing, new PyTorchImportOptions { SeriesLength = 150 }));
        Assert.Equal($"{missing}: missing key '3.layers.0.convs.1.weight' (shape (16, 16, 5)) of a fastai InceptionTime with 1 channels and 2 classes.", error.Message);

        var wrong = Rewrite("wrong.pt", t => t["4.layers.0.convs.2.weight"] = torch.zeros(16, 16, 5));
        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(wrong, new PyTorchImportOptions { SeriesLength = 150 }));
        Assert.Equal($"{wrong}: key '4.layers.0.convs.2.weight' has shape (16, 16, 5), a fastai InceptionTime with 1 channels and 2 classes needs (16, 16, 3).", error.Message);

        var extra = Rewrite("extra.pt", t => t["9.weight"] = torch.zeros(3));
        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(extra, new PyTorchImportOptions { SeriesLength = 150 }));
        Assert.StartsWith($"{extra}: unexpected key '9.weight' (shape (3))", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path, new PyTorchImportOptions { Architecture = PyTorchArchitecture.Tsai }));
        Assert.StartsWith($"{path}: missing key 'backbone.0.inception.0.mp_conv.1.0.weight': not a tsai-layout InceptionTime state_dict", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path, new PyTorchImportOptions { Channels = 3 }));
        Assert.Equal($"{path}: the weights are for 1-channel series ('0.layers.0.maxpool_bottleneck.1.weight: (16, 1, 1)'), not 3.", error.Message);
    }

    [Fact]
    public void Should_Write_Neither_File_When_The_Metadata_Place_Is_Taken_By_A_Folder()
    {
        // Given a folder where the JSON beside the weights would go
        using var original = InteropModels.GunPoint(Shape(InceptionTimeVariant.Fastai));
        Directory.CreateDirectory(_folder.Combine("w.json"));

        // When the weights are exported there, then the folder is named and no weights file is left alone
        var error = Assert.Throws<OutputFileException>(() => PyTorchModels.Export(original, _folder.Combine("w.pt")));
        Assert.StartsWith(_folder.Combine("w.json"), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("w.pt")));
    }

    [Theory]
    [InlineData(WeightFormat.PyTorch, "truncated or damaged")]
    [InlineData(WeightFormat.Safetensors, "truncated: its index describes")]
    public void Should_Refuse_A_Truncated_File(WeightFormat format, string expected)
    {
        using var original = InteropModels.GunPoint(Shape(InceptionTimeVariant.Fastai));
        var path = _folder.Combine("whole.bin");
        PyTorchModels.Export(original, path, format);
        var bytes = File.ReadAllBytes(path);
        var truncated = _folder.Write("truncated.bin", bytes[..(bytes.Length * 2 / 3)]);

        using (new TensorLeakCheck())
        {
            var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(truncated));
            Assert.StartsWith($"{truncated}: {expected}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_Refuse_A_Pickle_Whose_Number_Is_None_As_Damaged()
    {
        // Given torch.save's zip whose pickle's INT opcode holds "1ils" (a file damaged where its text is parsed)
        var path = _folder.Combine("damaged.pt");
        File.WriteAllBytes(path, TorchZip(Encoding.Latin1.GetBytes("\u0080\u0002I1ils\n.")));

        // When it is imported, then it is refused as damaged, naming the text
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path));
        Assert.StartsWith($"{path}: truncated or damaged: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'1ils'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_Pickle_That_Is_Not_A_State_Dict()
    {
        // A training checkpoint: a dictionary with an epoch counter beside the weights
        var checkpoint = _folder.Combine("checkpoint.pt");
        using (var scope = torch.NewDisposeScope())
        {
            using var stream = File.Create(checkpoint);
            PyTorchPickler.PickleStateDict(stream, new Hashtable { ["epoch"] = 3, ["weight"] = torch.ones(2) });
        }
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(checkpoint));
        Assert.StartsWith($"{checkpoint}: not a state_dict: key 'epoch' holds an integer, not a tensor", error.Message, StringComparison.Ordinal);

        // A list of tensors
        var list = _folder.Combine("list.pt");
        File.WriteAllBytes(list, TorchZip(Encoding.Latin1.GetBytes("\u0080\u0002]q\u0000.")));
        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(list));
        Assert.StartsWith($"{list}: not a state_dict: its pickle holds something other than a dictionary of tensors", error.Message, StringComparison.Ordinal);

        // Neither zip nor safetensors
        var text = _folder.Write("notes.pt", "hello, world");
        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(text));
        Assert.Equal($"{text}: neither a PyTorch state_dict (the zip torch.save writes) nor safetensors: it starts with \"hello, world\".", error.Message);
    }

    [Theory]
    [InlineData(1_000_000, new long[] { 4 }, new long[] { 1 }, "storage offset 1000000")]
    [InlineData(-2, new long[] { 4 }, new long[] { 1 }, "overflowed")]
    [InlineData(0, new long[] { -4 }, new long[] { 1 }, "negative dimension -4")]
    [InlineData(0, new long[] { 4 }, new long[] { 1_000_000 }, "strides [1000000]")]
    [InlineData(0, new long[] { 2, 2 }, new long[] { 1, 2 }, "stored transposed or strided")]
    public void Should_Refuse_A_Tensor_That_Does_Not_Fit_Its_Storage_In_One_Line(long offset, long[] size, long[] stride, string detail)
    {
        // Given torch.save's zip of {"w": a tensor over a storage of 4 floats} whose offset, size or strides do not fit
        // it (damage), or view it transposed (as torch.save writes a transposed tensor: a reader's limit, not damage)
        var path = _folder.Combine("view.pt");
        File.WriteAllBytes(path, TorchZip(TensorPickle(offset, size, stride), new byte[16]));

        // When it is imported, then libtorch's refusal becomes the file's error, with the re-save that avoids views
        using (new TensorLeakCheck())
        {
            var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path));
            Assert.StartsWith($"{path}: a tensor it describes cannot be rebuilt from its data (", error.Message, StringComparison.Ordinal);
            Assert.Contains(detail, error.Message, StringComparison.Ordinal);
            Assert.EndsWith("torch.save({k: v.contiguous().clone() for k, v in model.state_dict().items()}, path).", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Theory]
    [InlineData("[1000]", "F32", 4, "has the shape [1000] of F32, which does not fit its 4 bytes.")]
    [InlineData("[1]", "F32", 400, "has the shape [1] of F32, which does not fit its 400 bytes.")]
    [InlineData("[4611686018427387904, 4]", "F32", 4, "has the shape [4611686018427387904, 4] of F32, which does not fit its 4 bytes.")]
    [InlineData("[-1]", "F32", 4, "has the shape [-1]: a dimension below zero.")]
    [InlineData("[2, 3]", "BF16", 12, null)]
    public void Should_Refuse_A_Safetensors_Shape_That_Does_Not_Fit_Its_Bytes(string shape, string dtype, int bytes, string? expected)
    {
        // Given a safetensors file of one entry "w" whose data_offsets cover `bytes` bytes
        var header = Encoding.UTF8.GetBytes($"{{\"w\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[0,{bytes}]}}}}");
        var path = _folder.Write("w.safetensors", [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[bytes]]);

        // When it is imported, then a shape that does not fit is refused naming the entry (before libtorch sees it),
        // and one that fits is read (and then refused only as no InceptionTime)
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path));
        Assert.Equal(expected is null ? $"{path}: missing key" : $"{path}: safetensors entry 'w' {expected}",
            expected is null ? error.Message[..(path.Length + 13)] : error.Message);
    }

    [Fact]
    public void Should_Refuse_Weights_That_Are_Not_Finite_And_Negative_Variances()
    {
        // Given a fastai network's state_dict with one weight NaN and one infinite, and one with a negative running_var
        var path = GoodFastaiWeights();
        string Rewrite(string name, Action<Dictionary<string, torch.Tensor>> change) => Rewritten(path, name, change);
        var diverged = Rewrite("diverged.pt", t =>
        {
            var weight = t["2.layers.0.convs.1.weight"].clone();
            weight[0, 0, 0] = float.NaN;
            weight[1, 0, 0] = float.PositiveInfinity;
            t["2.layers.0.convs.1.weight"] = weight;
        });
        var negative = Rewrite("negative.pt", t => t["1.layers.0.bn_relu.0.running_var"] = -t["1.layers.0.bn_relu.0.running_var"]);

        // When they are imported, then each is refused naming the key and how many values are wrong (the BatchNorm has
        // 4 branches × 16 filters)
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(diverged, new PyTorchImportOptions { SeriesLength = 150 }));
        Assert.Equal($"{diverged}: key '2.layers.0.convs.1.weight' holds 2 values that are NaN or infinite: the network would predict NaN (weights saved after training diverged?).", error.Message);
        error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(negative, new PyTorchImportOptions { SeriesLength = 150 }));
        Assert.Equal($"{negative}: key '1.layers.0.bn_relu.0.running_var' holds 64 negative variances, whose square roots BatchNorm cannot take: the file is damaged.", error.Message);
    }

    [Fact]
    public void Should_Never_Run_Code_From_A_Pickle()
    {
        // Given a torch.save-shaped zip whose pickle calls os.system("touch <marker>") when Python unpickles it
        var marker = _folder.Combine("executed");
        var pickle = Encoding.Latin1.GetBytes($"\u0080\u0002cos\nsystem\nq\u0000X{(char)(6 + marker.Length)}\u0000\u0000\u0000touch {marker}q\u0001\u0085q\u0002Rq\u0003.");
        var path = _folder.Combine("evil.pt");
        File.WriteAllBytes(path, TorchZip(pickle));

        // When it is imported
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(path));

        // Then it is refused in one line and nothing ran
        Assert.StartsWith($"{path}: not a state_dict", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(marker));
    }

    /// <summary>A small fastai network's weights, exported as good.pt.</summary>
    private string GoodFastaiWeights()
    {
        using var original = InteropModels.GunPoint(Shape(InceptionTimeVariant.Fastai));
        var path = _folder.Combine("good.pt");
        PyTorchModels.Export(original, path);
        return path;
    }

    /// <summary>The state_dict of <paramref name="path"/> changed by <paramref name="change"/>, written as <paramref name="name"/>.</summary>
    private string Rewritten(string path, string name, Action<Dictionary<string, torch.Tensor>> change)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = StateDictFile.Read(path);
        change(tensors);
        return _folder.Write(name, StateDictFile.Write(tensors, WeightFormat.PyTorch));
    }

    /// <summary>
    /// The pickle torch.save writes for {"w": a float tensor on storage "0" of 4 floats}, with the given storage offset,
    /// size and strides (PyTorch's _rebuild_tensor_v2 arguments; as PyTorch 1.13 pickles it, every number a BININT).
    /// </summary>
    private static byte[] TensorPickle(long offset, long[] size, long[] stride)
    {
        static byte[] Int(long value) => [(byte)'J', .. BitConverter.GetBytes(checked((int)value))];
        static byte[] Tuple(long[] values) => [.. values.SelectMany(Int), (byte)(0x84 + values.Length)];
        return [.. Encoding.Latin1.GetBytes("\u0080\u0002ccollections\nOrderedDict\nq\u0000)Rq\u0001X\u0001\u0000\u0000\u0000wq\u0002"
                + "ctorch._utils\n_rebuild_tensor_v2\nq\u0003((X\u0007\u0000\u0000\u0000storageq\u0004ctorch\nFloatStorage\nq\u0005"
                + "X\u0001\u0000\u0000\u00000q\u0006X\u0003\u0000\u0000\u0000cpuq\u0007K\u0004tq\u0008Q"),
            .. Int(offset), .. Tuple(size), .. Tuple(stride), .. Encoding.Latin1.GetBytes("\u0089h\u0000)Rq\u000btq\u000cRq\u000ds.")];
    }

    /// <summary>torch.save's zip around <paramref name="pickle"/>, with <paramref name="storage"/> as storage "0" when given.</summary>
    private static byte[] TorchZip(byte[] pickle, byte[]? storage = null)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var entry = zip.CreateEntry("archive/data.pkl").Open())
                entry.Write(pickle);
            if (storage is not null)
            {
                using var data = zip.CreateEntry("archive/data/0").Open();
                data.Write(storage);
            }
            using (var version = zip.CreateEntry("archive/version").Open())
                version.Write("3\n"u8);
        }
        return stream.ToArray();
    }

    private static PyTorchArchitecture ArchitectureOf(InceptionTimeVariant variant) => variant switch
    {
        InceptionTimeVariant.Fastai => PyTorchArchitecture.Fastai,
        InceptionTimeVariant.Tsai => PyTorchArchitecture.Tsai,
        _ => PyTorchArchitecture.Paper,
    };
}
