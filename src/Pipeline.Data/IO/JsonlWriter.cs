using System.Buffers;
using System.Text.Json;
using Pipeline.Data.Model;

namespace Pipeline.Data.IO;

/// <summary>
/// Writes one JSONL file through a memory buffer: lines are serialised straight into the buffer and
/// reach the file in blocks of about <see cref="BlockSize"/> bytes, so a line costs no stream call.
/// </summary>
internal sealed class JsonlWriter : IDisposable
{
    private const int BlockSize = 1 << 16;
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(BlockSize * 2);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates <paramref name="path"/> (it must not exist).</summary>
    public JsonlWriter(string path)
    {
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        _writer = RecordJson.CreateWriter(_buffer);
    }

    /// <summary>Appends one record line.</summary>
    public void Write(DataRecord record)
    {
        _writer.Reset(_buffer);
        RecordJson.WriteObject(_writer, record);
        EndLine();
    }

    /// <summary>Appends one reject line.</summary>
    public void Write(Reject reject)
    {
        _writer.Reset(_buffer);
        RecordJson.WriteObject(_writer, reject);
        EndLine();
    }

    /// <summary>Appends raw bytes (a caller-built line, newline included).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
        FlushIfFull();
    }

    /// <summary>A span of at least <paramref name="size"/> bytes to build a line in; commit it with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size) => _buffer.GetSpan(size);

    /// <summary>Commits <paramref name="count"/> bytes written into <see cref="GetSpan"/>.</summary>
    public void Advance(int count)
    {
        _buffer.Advance(count);
        FlushIfFull();
    }

    /// <summary>Writes what is buffered and, when <paramref name="toDisk"/>, flushes the file to the disk.</summary>
    public void Complete(bool toDisk)
    {
        WriteBuffer();
        _stream.Flush(flushToDisk: toDisk);
    }

    /// <summary>Closes the file (without writing what is still buffered: call <see cref="Complete"/> first).</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }

    private void EndLine()
    {
        _writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        FlushIfFull();
    }

    private void FlushIfFull()
    {
        if (_buffer.WrittenCount >= BlockSize)
        {
            WriteBuffer();
        }
    }

    private void WriteBuffer()
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}
