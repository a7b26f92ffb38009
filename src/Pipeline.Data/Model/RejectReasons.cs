namespace Pipeline.Data.Model;

/// <summary>The reasons a record is rejected (Ingest) or removed (Clean); stable strings for reports.</summary>
public static class RejectReasons
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string MissingField = "missing_field";
    public const string NotAString = "not_a_string";
    public const string EmptyText = "empty_text";
    public const string EmptyFile = "empty_file";
    public const string BrokenQuoting = "broken_quoting";
    public const string ColumnCount = "column_count";
    public const string InvalidEmail = "invalid_email";
    public const string UnreadableFile = "unreadable_file";
    public const string UnknownFormat = "unknown_format";
    public const string InvalidImage = "invalid_image";

    public const string TooShort = "too_short";
    public const string TooLong = "too_long";
    public const string MissingLabel = "missing_label";
    public const string UnknownLabel = "unknown_label";
    public const string ExactDuplicate = "exact_duplicate";
    public const string NearDuplicate = "near_duplicate";
    public const string ConflictingLabels = "conflicting_labels";
    public const string ConflictMinority = "conflict_minority";
}
