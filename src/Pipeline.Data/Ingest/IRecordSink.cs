using Pipeline.Data.Model;

namespace Pipeline.Data.Ingest;

/// <summary>Where readers put what they read: every input record ends in exactly one of the two calls.</summary>
internal interface IRecordSink
{
    void Accept(DataRecord record);

    void Reject(Reject reject);
}
