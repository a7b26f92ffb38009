namespace Pipeline.Configuration;

/// <summary>The <c>clean</c> section: how rows are normalised, filtered and deduplicated.</summary>
public sealed record CleanOptions
{
    /// <summary>Unicode normalisation of the text. Default <c>nfkc</c>.</summary>
    [ConfigDescription("Unicode normalisation of the text. Default nfkc.")]
    public UnicodeNormalization Unicode { get; init; } = UnicodeNormalization.Nfkc;

    /// <summary>Rows with fewer characters (after normalisation) are rejected. Default 3; must be >= 0.</summary>
    [ConfigDescription("Rows with fewer characters (after normalisation) are rejected. Default 3; must be >= 0.")]
    [ConfigRange(Min = 0)]
    public int MinChars { get; init; } = 3;

    /// <summary>Rows with more characters are rejected. Default 2000; must be >= 1.</summary>
    [ConfigDescription("Rows with more characters are rejected. Default 2000; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int MaxChars { get; init; } = 2000;

    /// <summary>Lower-case every label before matching. Default true.</summary>
    [ConfigDescription("Lower-case every label before matching. Default true.")]
    public bool LowercaseLabels { get; init; } = true;

    /// <summary>Label renames applied after lower-casing, e.g. <c>{refund: billing}</c>. Default: none.</summary>
    [ConfigDescription("Label renames applied after lower-casing, e.g. {refund: billing}. Default: none.")]
    public IReadOnlyDictionary<string, string> LabelAliases { get; init; } = new Dictionary<string, string>();

    /// <summary>Near-duplicates: text by Jaccard similarity over word shingles (removed), images by perceptual hash (grouped).</summary>
    [ConfigDescription("Near-duplicates: text by Jaccard similarity over word shingles (removed), images by perceptual hash (grouped).")]
    public NearDuplicateOptions NearDuplicates { get; init; } = new();

    /// <summary>What to do when the same text has different labels. Default <c>majority</c>.</summary>
    [ConfigDescription("What to do when the same text has different labels. Default majority.")]
    public LabelConflictPolicy Conflicts { get; init; } = LabelConflictPolicy.Majority;

    /// <summary>Replace e-mail addresses, phone and card numbers with placeholders. Default false.</summary>
    [ConfigDescription("Replace e-mail addresses, phone and card numbers with placeholders. Default false.")]
    public bool MaskPii { get; init; }
}

/// <summary>The <c>clean.near_duplicates</c> section.</summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Remove near-duplicates. Default true.</summary>
    [ConfigDescription("Remove near-duplicates. Default true.")]
    public bool Enabled { get; init; } = true;

    /// <summary>Jaccard similarity at or above which two rows are duplicates. Default 0.9; within [0, 1].</summary>
    [ConfigDescription("Jaccard similarity at or above which two rows are duplicates. Default 0.9; within [0, 1].")]
    [ConfigRange(Min = 0, Max = 1)]
    public double Threshold { get; init; } = 0.9;

    /// <summary>Words per shingle. Default 3; must be >= 1.</summary>
    [ConfigDescription("Words per shingle. Default 3; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int Shingle { get; init; } = 3;

    /// <summary>
    /// Images: two images whose 64-bit difference hashes (dHash) differ in at most this many bits are
    /// near-duplicates, kept but grouped so that Format puts them in one split. Default 4; within [0, 32].
    /// </summary>
    [ConfigDescription("Images: two images whose 64-bit difference hashes (dHash) differ in at most this many bits are near-duplicates, kept but grouped so that Format puts them in one split. Default 4; within [0, 32].")]
    [ConfigRange(Min = 0, Max = 32)]
    public int ImageDistance { get; init; } = 4;

    /// <summary>
    /// Images: a dHash match is a near-duplicate only if the two images' 16 × 16 grey thumbnails differ by at
    /// most this many grey levels (of 255) on average; it keeps similar but different pictures apart. Default 4; within [0, 255].
    /// </summary>
    [ConfigDescription("Images: a dHash match is a near-duplicate only if the two images' 16 x 16 grey thumbnails differ by at most this many grey levels (of 255) on average; it keeps similar but different pictures apart. Default 4; within [0, 255].")]
    [ConfigRange(Min = 0, Max = 255)]
    public double ImageDifference { get; init; } = 4;
}

/// <summary>Unicode normalisation form applied to text.</summary>
public enum UnicodeNormalization
{
    /// <summary>Canonical composition.</summary>
    Nfc,

    /// <summary>Compatibility composition (folds full-width forms, ligatures, ...).</summary>
    Nfkc,

    /// <summary>Leave the text as it is.</summary>
    None,
}

/// <summary>What Clean does with rows whose identical text carries different labels.</summary>
public enum LabelConflictPolicy
{
    /// <summary>Drop every conflicting row.</summary>
    Drop,

    /// <summary>Keep the most frequent label (drop all on a tie).</summary>
    Majority,

    /// <summary>Fail the stage, listing the conflicts.</summary>
    Fail,
}
