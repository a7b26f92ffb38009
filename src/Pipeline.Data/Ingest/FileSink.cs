using System.Text.Json;
using Pipeline.Data.IO;
using Pipeline.Data.Model;

namespace Pipeline.Data.Ingest;

/// <summary>Writes accepted records and rejects to their JSONL files and counts them.</summary>
internal sealed class FileSink : IRecordSink, IDisposable
{
    private readonly FileStream _records;
    private readonly FileStream _rejects;
    private readonly Utf8JsonWriter _writer;
    private readonly bool _strict;
    private readonly SortedDictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public FileSink(string recordsPath, string rejectsPath, bool strict)
    {
        _records = new FileStream(recordsPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _rejects = new FileStream(rejectsPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = RecordJson.CreateWriter(_records);
        _strict = strict;
    }

    public long Accepted { get; private set; }

    public long Rejected { get; private set; }

    public IReadOnlyDictionary<string, long> ByReason => _byReason;

    public void Accept(DataRecord record)
    {
        RecordJson.Write(_writer, _records, record);
        Accepted++;
    }

    public void Reject(Reject reject)
    {
        if (_strict)
        {
            var where = reject.Line is { } line ? $"{reject.Source}:{line}" : reject.Source;
            var field = reject.Field is null ? "" : $" (field '{reject.Field}')";
            throw new RejectedRecordsException($"--strict: {where}{field} was rejected: {reject.Reason}: {reject.Detail} Fix the input, or run without --strict to collect rejects in rejects.jsonl.");
        }

        RecordJson.Write(_writer, _rejects, reject);
        Rejected++;
        _byReason[reject.Reason] = _byReason.GetValueOrDefault(reject.Reason) + 1;
    }

    public void Close()
    {
        _records.Flush(flushToDisk: true);
        _rejects.Flush(flushToDisk: true);
        Dispose();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _records.Dispose();
        _rejects.Dispose();
    }
}
