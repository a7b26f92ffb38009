using Pipeline.Data.IO;
using Pipeline.Data.Model;

namespace Pipeline.Data.Ingest;

/// <summary>Writes accepted records and rejects to their JSONL files and counts them.</summary>
internal sealed class FileSink : IRecordSink, IDisposable
{
    private readonly JsonlWriter _records;
    private readonly JsonlWriter _rejects;
    private readonly bool _strict;
    private readonly SortedDictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public FileSink(string recordsPath, string rejectsPath, bool strict)
    {
        _records = new JsonlWriter(recordsPath);
        _rejects = new JsonlWriter(rejectsPath);
        _strict = strict;
    }

    public long Accepted { get; private set; }

    public long Rejected { get; private set; }

    public IReadOnlyDictionary<string, long> ByReason => _byReason;

    public void Accept(DataRecord record)
    {
        _records.Write(record);
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

        _rejects.Write(reject);
        Rejected++;
        _byReason[reject.Reason] = _byReason.GetValueOrDefault(reject.Reason) + 1;
    }

    public void Close()
    {
        _records.Complete(toDisk: true);
        _rejects.Complete(toDisk: true);
        Dispose();
    }

    public void Dispose()
    {
        _records.Dispose();
        _rejects.Dispose();
    }
}
