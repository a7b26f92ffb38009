using MimeKit;

namespace Pipeline.Data.Ingest;

/// <summary>
/// Reads an RFC 822 mail with MimeKit: the decoded Subject, a newline, then the text body
/// (multipart, quoted-printable and base64 decoded, the declared charset honoured); an
/// HTML-only mail is converted to text. An mbox <c>From </c> line at the top is skipped.
/// </summary>
public static class EmailParser
{
    static EmailParser() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    /// <summary>The mail's text, or null when it has neither a subject nor a body.</summary>
    /// <exception cref="FormatException">The file is not a mail MimeKit can parse.</exception>
    public static string? ReadText(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SkipMboxFromLine(stream);
        var message = MimeMessage.Load(stream);
        var subject = message.Subject?.Trim() ?? "";
        var body = message.TextBody;
        if (string.IsNullOrWhiteSpace(body) && message.HtmlBody is { } html)
        {
            body = HtmlText.ToText(html);
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            body = FirstTextPart(message.Body);
        }

        body = body?.Trim() ?? "";
        if (subject.Length == 0 && body.Length == 0)
        {
            return null;
        }

        return subject.Length == 0 ? body : body.Length == 0 ? subject : subject + "\n" + body;
    }

    private static string? FirstTextPart(MimeEntity? entity)
    {
        foreach (var part in entity is Multipart multipart ? multipart.OfType<MimeEntity>() : entity is null ? [] : [entity])
        {
            if (part is TextPart text)
            {
                return text.IsHtml ? HtmlText.ToText(text.Text) : text.Text;
            }

            if (part is Multipart && FirstTextPart(part) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static void SkipMboxFromLine(Stream stream)
    {
        Span<byte> head = stackalloc byte[5];
        var start = stream.Position;
        var read = stream.ReadAtLeast(head, 5, throwOnEndOfStream: false);
        if (read == 5 && head.SequenceEqual("From "u8))
        {
            int b;
            while ((b = stream.ReadByte()) >= 0 && b != '\n')
            {
            }

            return;
        }

        stream.Position = start;
    }
}
