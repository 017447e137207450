using System.Buffers;

namespace Chronoscope.Data.Formats;

/// <summary>
/// Streams a UTF-8 text file as lines of bytes, without decoding and without allocating per line.
/// A line is returned without its terminator (LF, or CRLF). A UTF-8 byte order mark is skipped; a file
/// that is not text (a NUL byte, a zip or gzip signature, UTF-16) is refused with a
/// <see cref="DatasetFormatException"/> that says what it is and what to do.
/// </summary>
/// <remarks>
/// The span a read returns stays valid until the next read: it points into the reader's buffer, which
/// grows to hold the longest line.
/// </remarks>
internal sealed class Utf8LineReader : IDisposable
{
    // 1 MiB: large enough that the per-read overhead of the file system vanishes, small enough to stay in L2/L3.
    // Smaller files get a buffer of their size, and buffers come from the shared pool: reading many small
    // files then allocates next to nothing.
    private const int LargeBufferSize = 1 << 20;
    private const int SmallBufferSize = 4096;

    private readonly FileStream _stream;
    private readonly string _path;
    private byte[] _buffer;
    private int _start;         // the first byte of the next line
    private int _end;           // the end of the valid bytes
    private int _scanned;       // bytes after _start already known to hold no '\n'
    private bool _endOfFile;
    private bool _firstBlock = true;

    private Utf8LineReader(string path, FileStream stream)
    {
        _path = path;
        _stream = stream;
        var size = stream.CanSeek ? Math.Clamp(stream.Length + 1, SmallBufferSize, LargeBufferSize) : LargeBufferSize;
        _buffer = ArrayPool<byte>.Shared.Rent((int)size);
    }

    /// <summary>The 1-based number of the line the last read returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The file, as the caller named it: the place every error of this reader names.</summary>
    public string Path => _path;

    /// <summary>
    /// The error for the line the last read returned: callers say what was expected and what was found, the
    /// reader adds where (<c>path(line): problem</c>).
    /// </summary>
    public DatasetFormatException Fail(string problem) => new(_path, LineNumber, problem);

    /// <summary>The error for an earlier line (a header line a later check refers back to).</summary>
    public DatasetFormatException FailAt(long line, string problem) => new(_path, line, problem);

    /// <summary>The error for a problem found at the end of the file: its last line, or line 1 when it has none.</summary>
    public DatasetFormatException FailAtEnd(string problem) => new(_path, Math.Max(1, LineNumber), problem);

    /// <summary>Opens <paramref name="path"/>; a missing file or a folder is a <see cref="DatasetFormatException"/>.</summary>
    public static Utf8LineReader Open(string path)
    {
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Directory)
            throw new DatasetFormatException(path, null, "expected a dataset file, found a folder; name the _TRAIN or _TEST file inside it.");
        // A pipe or a device would be read without end (or block waiting for a writer): only regular files are data.
        if (kind is not (FileKind.Regular or FileKind.Missing or FileKind.Unknown))
            throw new DatasetFormatException(path, null, $"expected a dataset file, found {FileKinds.Describe(kind)}.");
        try
        {
            // bufferSize 0: this class is the buffer; FileStream's own would only add a copy.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            return new Utf8LineReader(path, stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetFormatException(path, null, "expected a dataset file, found nothing: the file does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetFormatException(path, null, $"expected a readable dataset file: {IoErrors.Reason(e)}.", e);
        }
    }

    /// <summary>Reads the next line; false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _start + _scanned + newline;
                line = WithoutCarriageReturn(_buffer.AsSpan(_start, lineEnd - _start));
                _start = lineEnd + 1;
                _scanned = 0;
                LineNumber++;
                return true;
            }
            _scanned = _end - _start;
            if (_endOfFile)
            {
                if (_end == _start)
                {
                    line = default;
                    return false;
                }
                // The last line has no final newline.
                line = WithoutCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                _scanned = 0;
                LineNumber++;
                return true;
            }
            Fill();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private static ReadOnlySpan<byte> WithoutCarriageReturn(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= Array.MaxLength / 2)
                throw new DatasetFormatException(_path, LineNumber + 1, $"expected lines shorter than {_buffer.Length / (1 << 20)} MiB, found a longer one.");
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = ReadFully(_buffer.AsSpan(_end));
        if (read == 0)
        {
            _endOfFile = true;
            return;
        }
        var fresh = _buffer.AsSpan(_end, read);
        if (_firstBlock)
        {
            _firstBlock = false;
            CheckSignature(fresh);
            if (fresh.StartsWith("\uFEFF"u8))
            {
                _start += 3;
                fresh = fresh[3..];
            }
        }
        var nul = fresh.IndexOf((byte)0);
        if (nul >= 0)
        {
            // Fill runs only once every pending byte is known to hold no '\n', so the line is counted in the new bytes.
            var line = LineNumber + 1 + fresh[..nul].Count((byte)'\n');
            throw new DatasetFormatException(_path, line,
                "expected text, found a NUL byte: this is a binary file, not one of the text formats read here (.arff, .ts, .tsv, .txt, .csv).");
        }
        _end += read;
    }

    private int ReadFully(Span<byte> destination)
    {
        // A regular file fills the request; a pipe or a network file may return less, so keep reading.
        var total = 0;
        while (total < destination.Length)
        {
            var read = _stream.Read(destination[total..]);
            if (read == 0)
                break;
            total += read;
        }
        return total;
    }

    private void CheckSignature(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            throw new DatasetFormatException(_path, null,
                "expected a text file, found a zip archive: extract it first, then read the _TRAIN and _TEST files inside.");
        }
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
            throw new DatasetFormatException(_path, null, "expected a text file, found gzip-compressed data: extract it first (gunzip, tar -xzf).");
        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            throw new DatasetFormatException(_path, null, "expected UTF-8 text, found UTF-16 (its byte order mark): save the file as UTF-8.");
    }
}
