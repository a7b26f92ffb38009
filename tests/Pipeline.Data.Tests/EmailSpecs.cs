using System.Text;
using Pipeline.Data.Ingest;

namespace Pipeline.Data.Tests;

public sealed class EmailSpecs
{
    private static string? Read(string mail, Encoding? encoding = null) =>
        EmailParser.ReadText(new MemoryStream((encoding ?? Encoding.ASCII).GetBytes(mail.Replace("\n", "\r\n", StringComparison.Ordinal))));

    [Fact]
    public void I_can_read_a_multipart_mail_and_get_its_subject_and_text_part()
    {
        // Arrange
        const string Mail = """
            From: a@example.com
            Subject: =?utf-8?B?UmVmdW5kIGZvciBvcmRlciDihJYgNDI=?=
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            I was charged twice =E2=80=94 please refund.
            --b1
            Content-Type: text/html; charset=utf-8

            <p>I was charged twice</p>
            --b1--
            """;

        // Act
        var text = Read(Mail);

        // Assert
        Assert.Equal("Refund for order № 42\nI was charged twice — please refund.", text);
    }

    [Fact]
    public void I_can_read_a_base64_body_in_a_non_utf8_charset()
    {
        // Arrange
        var latin1 = Encoding.Latin1.GetBytes("Ça coûte trop cher, déjà payé");
        var mail = "Subject: =?iso-8859-1?Q?Facture_d=E9j=E0_pay=E9e?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\n" + Convert.ToBase64String(latin1) + "\n";

        // Act
        var text = Read(mail);

        // Assert
        Assert.Equal("Facture déjà payée\nÇa coûte trop cher, déjà payé", text);
    }

    [Fact]
    public void I_can_read_an_8bit_windows_1252_body_after_an_mbox_from_line()
    {
        // Arrange
        var mail = "From someone@example.com Mon Jan  1 00:00:00 2002\nSubject: quotes\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\nIt\u2019s \u20AC5 \u201Ccheap\u201D\n";
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

        // Act
        var text = Read(mail, bytes);

        // Assert
        Assert.Equal("quotes\nIt\u2019s \u20AC5 \u201Ccheap\u201D", text);
    }

    [Fact]
    public void I_can_read_an_html_only_mail_as_text_without_scripts_styles_or_entities()
    {
        // Arrange
        const string Mail = """
            Subject: Offer
            Content-Type: text/html; charset=us-ascii

            <html><head><style>p{color:red}</style><script>alert(1)</script></head>
            <body><p>Win &amp; save&nbsp;now</p><div>Click&#33;</div></body></html>
            """;

        // Act
        var text = Read(Mail);

        // Assert
        Assert.NotNull(text);
        Assert.StartsWith("Offer\nWin & save\u00A0now", text, StringComparison.Ordinal);
        Assert.Contains("Click!", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", text, StringComparison.Ordinal);
        Assert.DoesNotContain("color", text, StringComparison.Ordinal);
    }
}
