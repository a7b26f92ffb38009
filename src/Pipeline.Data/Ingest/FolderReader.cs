using System.Text;
using System.Text.Unicode;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>
/// Reads <c>&lt;folder&gt;/&lt;label&gt;/*</c>: the label is the sub-folder's name. <c>.eml</c> files (and every
/// file when the format is <see cref="SourceFormat.Email"/>) are mails; <c>.txt</c> files are UTF-8 text.
/// One file is one record with line 1; the id is the file's path relative to the folder. A glob that
/// matches files (<c>data/*/*.txt</c>) reads each file with its parent folder's name as the label.
/// </summary>
internal static class FolderReader
{
    public static void Read(ResolvedFile folder, IRecordSink sink, CancellationToken cancellationToken)
    {
        var email = folder.Spec.Format == SourceFormat.Email;
        LabelFolders.Walk(folder, sink, "<folder>/<label>/*.txt", file =>
        {
            var isMail = email || IsMailName(file.Path);
            if (!file.MatchedByGlob && !isMail && !file.Path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                sink.Reject(new Reject(file.Display, null, null, RejectReasons.UnknownFormat, "Only .txt and .eml files are read in a label folder (declare format: email to read every file as a mail).", null));
                return;
            }

            ReadFile(file.Path, file.Display, file.Id, file.Label, isMail, sink);
        }, cancellationToken);
    }

    private static bool IsMailName(string path) => path.EndsWith(".eml", StringComparison.OrdinalIgnoreCase);

    private static void ReadFile(string path, string display, string id, string label, bool isMail, IRecordSink sink)
    {
        if (new FileInfo(path).Length == 0)
        {
            sink.Reject(new Reject(display, null, null, RejectReasons.EmptyFile, "The file is empty.", null));
            return;
        }

        string? text;
        try
        {
            if (isMail)
            {
                using var stream = File.OpenRead(path);
                text = EmailParser.ReadText(stream);
            }
            else
            {
                var bytes = File.ReadAllBytes(path);
                if (!Utf8.IsValid(bytes))
                {
                    sink.Reject(new Reject(display, null, "text", RejectReasons.InvalidUtf8, "The file is not valid UTF-8. Re-encode it, or name it .eml if it is a mail.", null));
                    return;
                }

                text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
            }
        }
        catch (FormatException ex)
        {
            sink.Reject(new Reject(display, null, null, RejectReasons.InvalidEmail, $"Not a readable RFC 822 mail: {ex.Message}", null));
            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            sink.Reject(new Reject(display, null, "text", RejectReasons.EmptyText, "The file has no text (no subject and no body).", null));
            return;
        }

        sink.Accept(new DataRecord(id, text, [label], display, 1));
    }
}
