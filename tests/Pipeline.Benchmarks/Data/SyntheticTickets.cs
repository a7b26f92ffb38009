using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Benchmarks.Data;

/// <summary>
/// Deterministic synthetic support tickets for the data benchmark: 5–60 words, 20 labels,
/// about 2% exact duplicates, a few accented and NFD-decomposed words, written as JSONL
/// (fields id, text, label) and as CSV with the same rows.
/// </summary>
internal static class SyntheticTickets
{
    private static readonly string[] Common =
    [
        "i", "my", "the", "a", "to", "and", "is", "it", "for", "on", "with", "this", "please", "can", "you", "help",
        "order", "account", "again", "still", "not", "was", "have", "been", "since", "yesterday", "today", "last", "week",
        "need", "want", "why", "how", "when", "what", "there", "thanks", "hello", "hi", "team", "support", "asap", "urgent",
        "already", "tried", "twice", "nothing", "happens", "keeps", "getting", "error", "message", "number", "email",
        "phone", "app", "website", "page", "link", "button", "screen", "click", "after", "before", "every", "time",
        "customer", "service", "wrong", "right", "correct", "update", "change", "check", "status", "problem", "issue",
        "café", "naïve", "résumé", "über", "façade", "jalapeño", "coöperate", "déjà", "vu", "piñata",
    ];

    private static readonly string[][] LabelWords =
    [
        ["invoice", "charged", "charge", "billing", "payment", "card", "vat", "receipt"],
        ["refund", "money", "back", "reimburse", "credited", "return", "amount", "owed"],
        ["shipping", "delivery", "courier", "tracking", "parcel", "arrived", "late", "dispatch"],
        ["return", "label", "exchange", "wrong", "size", "send", "warehouse", "policy"],
        ["password", "login", "locked", "reset", "two-factor", "code", "sign", "access"],
        ["crash", "bug", "freezes", "loading", "slow", "broken", "update", "version"],
        ["product", "spec", "battery", "warranty", "compatible", "colour", "size", "material"],
        ["cancel", "subscription", "plan", "renewal", "membership", "stop", "end", "monthly"],
        ["discount", "coupon", "promo", "voucher", "code", "expired", "offer", "sale"],
        ["address", "change", "move", "apartment", "postcode", "street", "wrong", "update"],
        ["gift", "card", "balance", "redeem", "present", "wrap", "message", "recipient"],
        ["privacy", "data", "delete", "gdpr", "personal", "information", "consent", "remove"],
        ["feedback", "suggestion", "love", "great", "improve", "feature", "idea", "review"],
        ["complaint", "rude", "agent", "manager", "unacceptable", "terrible", "escalate", "angry"],
        ["stock", "available", "restock", "sold", "out", "back", "notify", "waitlist"],
        ["invoice", "company", "business", "tax", "number", "pdf", "download", "copy"],
        ["damaged", "broken", "cracked", "box", "photo", "arrived", "replacement", "torn"],
        ["missing", "item", "parcel", "incomplete", "piece", "short", "only", "one"],
        ["newsletter", "unsubscribe", "emails", "spam", "marketing", "stop", "preferences", "inbox"],
        ["price", "match", "cheaper", "competitor", "lower", "difference", "adjust", "guarantee"],
    ];

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The 20 label names.</summary>
    public static IReadOnlyList<string> Labels { get; } =
    [
        "billing", "refund", "shipping", "returns", "account_access", "technical_issue", "product_question",
        "cancel_subscription", "promotions", "address_change", "gift_cards", "privacy", "feedback", "complaint",
        "stock", "business_invoice", "damaged_item", "missing_item", "newsletter", "price_match",
    ];

    /// <summary>Writes <paramref name="rows"/> rows to <paramref name="jsonlPath"/> and <paramref name="csvPath"/>.</summary>
    public static void Write(string jsonlPath, string csvPath, int rows, int seed = 20261129)
    {
        var rng = new Random(seed);
        var texts = new List<string>(capacity: 4096);
        using var jsonl = new StreamWriter(jsonlPath, append: false, new UTF8Encoding(false), 1 << 20);
        using var csv = new StreamWriter(csvPath, append: false, new UTF8Encoding(false), 1 << 20);
        csv.Write("id,text,label\n");
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var label = rng.Next(Labels.Count);
            string body;
            if (texts.Count > 100 && rng.NextDouble() < 0.02)
            {
                body = texts[rng.Next(texts.Count)]; // an exact duplicate of an earlier row
            }
            else
            {
                text.Clear();
                // Skewed towards short messages (mean about 19 words), like real tickets.
                var words = 5 + (int)(55 * Math.Pow(rng.NextDouble(), 3));
                for (var w = 0; w < words; w++)
                {
                    if (w > 0)
                    {
                        text.Append(' ');
                    }

                    var word = rng.NextDouble() < 0.3 ? LabelWords[label][rng.Next(8)] : Common[rng.Next(Common.Length)];
                    if (rng.NextDouble() < 0.002)
                    {
                        word = word.Normalize(NormalizationForm.FormD);
                    }

                    text.Append(w == 0 || rng.NextDouble() < 0.05 ? Capitalise(word) : word);
                }

                text.Append(rng.Next(4) switch { 0 => "?", 1 => "!", _ => "." });
                body = text.ToString();
                if (texts.Count < 4096)
                {
                    texts.Add(body);
                }
                else if (rng.Next(64) == 0)
                {
                    texts[rng.Next(texts.Count)] = body;
                }
            }

            var id = "r" + i.ToString("D7", CultureInfo.InvariantCulture);
            jsonl.Write("{\"id\":\"");
            jsonl.Write(id);
            jsonl.Write("\",\"text\":");
            jsonl.Write(JsonSerializer.Serialize(body, JsonOptions));
            jsonl.Write(",\"label\":\"");
            jsonl.Write(Labels[label]);
            jsonl.Write("\"}\n");
            csv.Write(id);
            csv.Write(",\"");
            csv.Write(body.Replace("\"", "\"\"", StringComparison.Ordinal));
            csv.Write("\",");
            csv.Write(Labels[label]);
            csv.Write('\n');
        }
    }

    private static string Capitalise(string word) =>
        word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
