using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Serving.Internal;

/// <summary>A request the service refuses, with the status and RFC 7807 fields to answer with.</summary>
internal sealed class RequestProblemException : Exception
{
    public RequestProblemException()
        : this(400, "Bad request", "")
    {
    }

    public RequestProblemException(string message)
        : this(400, "Bad request", message)
    {
    }

    public RequestProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Title = "Bad request";
    }

    public RequestProblemException(int status, string title, string detail, string? limit = null, long? limitValue = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        Limit = limit;
        LimitValue = limitValue;
    }

    public int Status { get; }

    public string Title { get; }

    /// <summary>The option whose limit the request broke, e.g. <c>max_inputs_per_request</c>.</summary>
    public string? Limit { get; }

    public long? LimitValue { get; }
}

/// <summary>Reads and checks request bodies: JSON, the accepted shapes, and the input limits.</summary>
internal static class RequestReader
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, ServingOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            throw TooLarge(options);
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new RequestProblemException(400, "Malformed JSON", $"The request body is not valid JSON: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(options);
        }
    }

    /// <summary><c>{"inputs": ["text", ...]}</c> for <c>/v1/predict</c>.</summary>
    public static IReadOnlyList<string> PredictInputs(JsonElement root, ServingOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputs))
        {
            throw new RequestProblemException(400, "Missing inputs", "The body must be {\"inputs\": [\"text\", ...]}.");
        }

        return Check(Strings(inputs, "inputs"), options);
    }

    /// <summary>
    /// <c>{"images": ["base64", ...]}</c> (or <c>"inputs"</c>) for an image model: each entry an
    /// encoded image file in base64, optionally as a <c>data:image/...;base64,</c> URL.
    /// </summary>
    public static IReadOnlyList<string> PredictImages(JsonElement root, ServingOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !(root.TryGetProperty("images", out var images) || root.TryGetProperty("inputs", out images) || root.TryGetProperty("instances", out images)))
        {
            throw new RequestProblemException(400, "Missing images",
                "This model classifies images: send {\"images\": [\"<base64 PNG or JPEG>\", ...]} or a multipart/form-data upload with one file per image.");
        }

        var list = Strings(images, "images");
        for (var i = 0; i < list.Count; i++)
        {
            list[i] = Base64Image(list[i], i);
        }

        return CheckCount(list, options);
    }

    /// <summary>The files of a <c>multipart/form-data</c> request, each encoded as base64 for an image model.</summary>
    public static async Task<IReadOnlyList<string>> ReadUploadsAsync(HttpRequest request, ServingOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            throw TooLarge(options);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new RequestProblemException(400, "Malformed upload", $"The multipart body could not be read: {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(options);
        }

        var images = new List<string>(form.Files.Count);
        foreach (var file in form.Files)
        {
            if (file.Length == 0)
            {
                throw new RequestProblemException(400, "Empty upload", $"The uploaded file '{file.FileName}' (field '{file.Name}') is empty.");
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            images.Add(Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length));
        }

        if (images.Count == 0)
        {
            throw new RequestProblemException(400, "No images", "The multipart upload has no file parts: attach one file per image (e.g. curl -F image=@shoe.png).");
        }

        return CheckCount(images, options);
    }

    /// <summary>The MLflow scoring protocol's input shapes, as <c>mlflow models serve</c> accepts them for a text column.</summary>
    public static IReadOnlyList<string> InvocationInputs(JsonElement root, ServingOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Shape();
        }

        if (root.TryGetProperty("dataframe_split", out var split))
        {
            if (split.ValueKind != JsonValueKind.Object || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new RequestProblemException(400, "Invalid dataframe_split", "dataframe_split needs \"columns\" and \"data\" (a list of rows).");
            }

            var column = 0;
            if (split.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array && columns.GetArrayLength() > 1)
            {
                var names = columns.EnumerateArray().Select(c => c.GetString()).ToList();
                column = names.FindIndex(n => n is "text" or "inputs");
                if (column < 0)
                {
                    throw new RequestProblemException(400, "Invalid dataframe_split",
                        $"dataframe_split has columns [{string.Join(", ", names)}]; send one column, or name the text column \"text\".");
                }
            }

            List<string> texts = [];
            foreach (var row in data.EnumerateArray())
            {
                var cell = row.ValueKind == JsonValueKind.Array && row.GetArrayLength() > column ? row[column] : row;
                texts.Add(cell.ValueKind == JsonValueKind.String ? cell.GetString()! : throw new RequestProblemException(400, "Invalid dataframe_split", "Every text cell must be a string."));
            }

            return Check(texts, options);
        }

        if (root.TryGetProperty("dataframe_records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            List<string> texts = [];
            foreach (var record in records.EnumerateArray())
            {
                var cell = record.ValueKind == JsonValueKind.Object
                    ? record.EnumerateObject().FirstOrDefault(p => p.Name is "text" or "inputs" || record.EnumerateObject().Count() == 1).Value
                    : default;
                texts.Add(cell.ValueKind == JsonValueKind.String ? cell.GetString()! : throw new RequestProblemException(400, "Invalid dataframe_records", "Every record needs a string \"text\" field."));
            }

            return Check(texts, options);
        }

        foreach (var key in new[] { "inputs", "instances" })
        {
            if (root.TryGetProperty(key, out var value))
            {
                if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Count() == 1)
                {
                    value = value.EnumerateObject().First().Value;
                }

                return Check(Strings(value, key), options);
            }
        }

        throw Shape();
    }

    private static RequestProblemException Shape() => new(400, "Invalid invocation",
        "The body must hold one of \"inputs\", \"instances\", \"dataframe_split\" or \"dataframe_records\" (MLflow scoring protocol).");

    private static List<string> Strings(JsonElement array, string field)
    {
        if (array.ValueKind == JsonValueKind.String)
        {
            return [array.GetString()!];
        }

        if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new RequestProblemException(400, "Invalid inputs", $"\"{field}\" must be a list of strings.");
        }

        return [.. array.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>The base64 of one image, a <c>data:</c> URL prefix removed; a 400 when it is not base64.</summary>
    private static string Base64Image(string value, int index)
    {
        var comma = value.StartsWith("data:", StringComparison.Ordinal) ? value.IndexOf(',', StringComparison.Ordinal) : -1;
        var payload = comma >= 0 ? value[(comma + 1)..] : value;
        var buffer = new byte[(payload.Length * 3 / 4) + 3];
        if (payload.Length == 0 || !Convert.TryFromBase64String(payload, buffer, out _))
        {
            throw new RequestProblemException(400, "Invalid image", $"Image {index} is not base64: send the image file's bytes base64-encoded (a data:image/png;base64,... URL works too).");
        }

        return payload;
    }

    private static List<string> CheckCount(List<string> inputs, ServingOptions options)
    {
        if (inputs.Count == 0)
        {
            throw new RequestProblemException(400, "No inputs", "Send at least one input.");
        }

        if (inputs.Count > options.MaxInputsPerRequest)
        {
            throw new RequestProblemException(413, "Too many inputs",
                $"The request has {inputs.Count} inputs; the limit max_inputs_per_request is {options.MaxInputsPerRequest}. Split it into smaller requests.",
                "max_inputs_per_request", options.MaxInputsPerRequest);
        }

        return inputs;
    }

    private static List<string> Check(List<string> texts, ServingOptions options)
    {
        CheckCount(texts, options);
        var longest = texts.Select((t, i) => (t.Length, i)).Max();
        if (longest.Length > options.MaxTextLength)
        {
            throw new RequestProblemException(413, "Input text too long",
                $"Input {longest.i} has {longest.Length} characters; the limit max_text_length is {options.MaxTextLength}.",
                "max_text_length", options.MaxTextLength);
        }

        return texts;
    }

    private static RequestProblemException TooLarge(ServingOptions options) => new(413, "Request body too large",
        $"The request body exceeds the limit max_request_body_bytes of {options.MaxRequestBodyBytes} bytes.",
        "max_request_body_bytes", options.MaxRequestBodyBytes);
}
