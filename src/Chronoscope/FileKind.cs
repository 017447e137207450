namespace Chronoscope;

/// <summary>What a path names once symbolic links are followed (Unix <c>stat</c>); <see cref="FileKinds.Of"/> finds it.</summary>
internal enum FileKind
{
    /// <summary>Nothing: the path does not exist (or a link points nowhere).</summary>
    Missing,

    /// <summary>A regular file: read and written normally, replaced atomically.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A character device such as <c>/dev/null</c> or a terminal: written straight, never replaced.</summary>
    CharacterDevice,

    /// <summary>A named pipe: written straight; reading one would wait for a writer.</summary>
    Fifo,

    /// <summary>A block device (a disk): never written, never read as data.</summary>
    BlockDevice,

    /// <summary>A Unix socket.</summary>
    Socket,

    /// <summary>A loop of symbolic links (or too many of them): it names nothing.</summary>
    LinkLoop,

    /// <summary>Something else, or a path that cannot be examined (e.g. no permission on a folder on the way).</summary>
    Unknown,
}
