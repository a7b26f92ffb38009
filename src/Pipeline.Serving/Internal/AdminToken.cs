using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Serving.Internal;

/// <summary>The bearer token guarding admin routes, compared in constant time; never logged.</summary>
internal sealed class AdminToken
{
    private readonly byte[]? _hash;

    public AdminToken(string? token)
    {
        _hash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>200 when allowed; 401 without a bearer token; 403 with a wrong one or when no token is configured.</summary>
    public int Check(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return StatusCodes.Status401Unauthorized;
        }

        if (_hash is null)
        {
            return StatusCodes.Status403Forbidden;
        }

        // Hashing both sides first makes the comparison length-independent as well as constant-time.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _hash) ? StatusCodes.Status200OK : StatusCodes.Status403Forbidden;
    }
}
