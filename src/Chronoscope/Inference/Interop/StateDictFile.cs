using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Razorvine.Pickle;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Chronoscope.Inference.Interop;

/// <summary>
/// Reads and writes <c>state_dict</c> files through TorchSharp.PyBridge: PyTorch's zip format and safetensors, told
/// apart by their first bytes. Only tensors come out: the pickle reader is a .NET one that cannot run Python code
/// (an unknown global becomes an inert record, a call on it fails), and anything but a flat dictionary of tensors —
/// a whole pickled module, a checkpoint with an epoch counter, a list — is refused with the key that is not a tensor.
/// </summary>
internal static class StateDictFile
{
    private static readonly byte[] ZipMagic = [0x50, 0x4b, 0x03, 0x04];

    /// <summary>The tensors of <paramref name="path"/> by key, on the CPU; they belong to the caller's dispose scope.</summary>
    public static Dictionary<string, torch.Tensor> Read(string path)
    {
        if (FileKinds.NotAFile(path) is { } problem)
            throw new ModelInteropException(path, problem);
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith(ZipMagic))
            return ReadPyTorch(path, bytes);
        if (LooksLikeSafetensors(bytes))
            return ReadSafetensors(path, bytes);
        if (bytes.Length >= 2 && bytes[0] == 0x80 && bytes[1] is >= 2 and <= 5)
            throw new ModelInteropException(path, "a bare pickle (PyTorch's legacy format, or not from torch.save): re-save it with torch.save(model.state_dict(), path) from PyTorch 1.6 or later, which writes the zip format.");
        throw new ModelInteropException(path, $"neither a PyTorch state_dict (the zip torch.save writes) nor safetensors: it starts with {Describe(bytes)}.");
    }

    /// <summary>The bytes of <paramref name="tensors"/> in <paramref name="format"/>, in their order.</summary>
    public static byte[] Write(Dictionary<string, torch.Tensor> tensors, WeightFormat format)
    {
        using var stream = new MemoryStream();
        if (format == WeightFormat.PyTorch)
            PyTorchPickler.PickleStateDict(stream, tensors, leaveOpen: true);
        else
            Safetensors.SaveStateDict(stream, tensors, leaveOpen: true);
        return stream.ToArray();
    }

    private static Dictionary<string, torch.Tensor> ReadPyTorch(string path, byte[] bytes)
    {
        Hashtable table;
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read))
            {
                if (!zip.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)))
                    throw new ModelInteropException(path, "a zip file without data.pkl: not written by torch.save.");
            }
            var loaded = PyTorchUnpickler.UnpickleStateDict(new MemoryStream(bytes, writable: false));
            table = loaded;
        }
        catch (ModelInteropException)
        {
            throw;
        }
        catch (InvalidCastException e)
        {
            throw new ModelInteropException(path, "not a state_dict: its pickle holds something other than a dictionary of tensors; save one with torch.save(model.state_dict(), path).", e);
        }
        catch (NotImplementedException e) when (e.Message.Contains("entire model", StringComparison.Ordinal))
        {
            throw new ModelInteropException(path, "a whole pickled module, not a state_dict: save one with torch.save(model.state_dict(), path).", e);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException or OverflowException)
        {
            // FormatException and OverflowException: a number in the pickle's text opcodes that is none
            throw new ModelInteropException(path, $"truncated or damaged: {e.Message}", e);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("non-contiguous", StringComparison.Ordinal))
        {
            throw new ModelInteropException(path, UnbuiltTensor("a tensor is stored transposed or strided"), e);
        }
        catch (Exception e) when (e is PickleException or NotImplementedException or InvalidOperationException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new ModelInteropException(path, $"not a state_dict of tensors (its pickle: {e.Message}); save one with torch.save(model.state_dict(), path).", e);
        }
        catch (ExternalException e)
        {
            // libtorch refusing the size, stride or offset the pickle gives a tensor: the file is damaged, or one
            // tensor is a view into a larger storage, which TorchSharp.PyBridge reads as if it were the whole storage.
            throw new ModelInteropException(path, UnbuiltTensor(FirstLine(e.Message)), e);
        }

        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        string? problem = null;
        foreach (DictionaryEntry entry in table)
        {
            if (problem is null && entry.Key is not string)
                problem = $"not a state_dict: it has a key {entry.Key} that is not a string.";
            else if (problem is null && entry.Value is not torch.Tensor)
                problem = $"not a state_dict: key '{entry.Key}' holds {Kind(entry.Value)}, not a tensor (a training checkpoint? save the model's own torch.save(model.state_dict(), path)).";
            if (entry.Key is string key && entry.Value is torch.Tensor tensor)
                tensors[key] = tensor;
        }
        if (problem is not null)
        {
            foreach (var t in tensors.Values)
                t.Dispose();
            throw new ModelInteropException(path, problem);
        }
        if (tensors.Count == 0)
            throw new ModelInteropException(path, "not a state_dict: it holds no tensors.");
        return tensors;
    }

    private static string Kind(object? value) => value switch
    {
        null => "None",
        IDictionary => "a dictionary",
        string => "a string",
        int or long => "an integer",
        double => "a number",
        _ => $"a {value.GetType().Name}",
    };

    private static bool LooksLikeSafetensors(byte[] bytes) =>
        bytes.Length >= 10 && BinaryPrimitives.ReadUInt64LittleEndian(bytes) is var n && n > 1 && n <= (ulong)(bytes.Length - 8) && bytes[8] == (byte)'{';

    private static Dictionary<string, torch.Tensor> ReadSafetensors(string path, byte[] bytes)
    {
        // PyBridge reads tensor bytes without checking that the file holds them: check the index against the file first.
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        long end = 0;
        try
        {
            using var index = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
            foreach (var entry in index.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                var offsets = entry.Value.GetProperty("data_offsets");
                var (from, to) = (offsets[0].GetInt64(), offsets[1].GetInt64());
                if (from < 0 || to < from)
                    throw new ModelInteropException(path, $"safetensors entry '{entry.Name}' has offsets [{from}, {to}].");
                CheckShape(path, entry.Name, entry.Value.GetProperty("shape"), entry.Value.GetProperty("dtype").GetString(), to - from);
                end = Math.Max(end, to);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw new ModelInteropException(path, $"a damaged safetensors index: {e.Message}", e);
        }
        if (8 + headerLength + end > bytes.Length)
            throw new ModelInteropException(path, $"truncated: its index describes {8 + headerLength + end} bytes, the file has {bytes.Length}.");
        try
        {
            return Safetensors.LoadStateDict(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is NotImplementedException or JsonException or ArgumentException or IOException)
        {
            throw new ModelInteropException(path, $"unreadable safetensors: {e.Message}", e);
        }
        catch (ExternalException e)
        {
            throw new ModelInteropException(path, $"a tensor it describes cannot be built ({FirstLine(e.Message)}): the file is damaged.", e);
        }
    }

    /// <summary>
    /// Refuses a safetensors entry whose shape has a negative dimension or, for a known element type, does not
    /// cover exactly its <paramref name="bytes"/> (libtorch would otherwise be asked for an impossible tensor).
    /// </summary>
    private static void CheckShape(string path, string name, JsonElement shape, string? dtype, long bytes)
    {
        var dimensions = shape.EnumerateArray().Select(d => d.GetInt64()).ToList();
        if (dimensions.Any(size => size < 0))
            throw new ModelInteropException(path, $"safetensors entry '{name}' has the shape [{string.Join(", ", dimensions)}]: a dimension below zero.");
        if (ElementBytes(dtype) is not { } width)
            return; // an unknown type: the reader names it
        // A count capped at long.MaxValue times one more dimension fits Int128, so the product never overflows.
        Int128 elements = 1;
        foreach (var size in dimensions)
            elements = Int128.Min(elements * size, long.MaxValue);
        if (elements * width != bytes)
        {
            throw new ModelInteropException(path,
                $"safetensors entry '{name}' has the shape [{string.Join(", ", dimensions)}] of {dtype}, which does not fit its {bytes} bytes.");
        }
    }

    private static int? ElementBytes(string? dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => null,
    };

    /// <summary>Why a tensor of a torch.save file could not be rebuilt, and the re-save that avoids it.</summary>
    private static string UnbuiltTensor(string detail) =>
        $"a tensor it describes cannot be rebuilt from its data ({detail}): the file is damaged, or holds views (tensors "
        + "sharing one storage, transposed or strided), which this reader does not take; save copies from PyTorch with "
        + "torch.save({k: v.contiguous().clone() for k, v in model.state_dict().items()}, path).";

    private static string FirstLine(string message) =>
        message.Split('\n', 2)[0].Trim();

    private static string Describe(byte[] bytes)
    {
        if (bytes.Length == 0)
            return "nothing (an empty file)";
        var head = bytes.AsSpan(0, Math.Min(16, bytes.Length)).ToArray();
        return head.All(b => b is >= 32 and < 127)
            ? $"\"{Encoding.ASCII.GetString(head)}\""
            : Convert.ToHexString(head);
    }
}
