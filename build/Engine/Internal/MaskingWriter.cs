using System.Text;

namespace Pipeline.Build.Internal;

/// <summary>
/// Writes through to another writer line by line, replacing every secret value with <c>***</c>.
/// All build output (engine, targets, tools, loggers) goes through one of these.
/// </summary>
internal sealed class MaskingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly List<string> _secrets = [];
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    /// <summary>Adds values to mask from now on (empty ones are ignored).</summary>
    public void AddSecrets(IEnumerable<string> values)
    {
        lock (_gate)
        {
            _secrets.AddRange(values.Where(v => v.Length > 0));
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>Replaces every secret in <paramref name="text"/> with <c>***</c>.</summary>
    public string Mask(string text)
    {
        lock (_gate)
        {
            return _secrets.Aggregate(text, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal));
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value == '\n')
            {
                FlushLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var c in value)
            {
                _line.Append(c);
                if (c == '\n')
                {
                    FlushLine();
                }
            }
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            FlushLine();
            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        var text = _line.ToString();
        _line.Clear();
        inner.Write(_secrets.Aggregate(text, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal)));
    }
}
