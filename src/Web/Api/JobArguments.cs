using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Dashboard.Web.Api;

/// <summary>
/// Turns a request body into a job's argument record, strictly: camelCase names only, unknown and duplicate fields
/// rejected, required members required, then the record's DataAnnotations. A job that fails on its first attempt
/// because of a typo in a field name is far more expensive than a 400.
/// </summary>
internal static class JobArguments
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>The outcome: <see cref="Args"/> when the body is valid, else <see cref="Problem"/> (never both).</summary>
    internal sealed record Result(object? Args, IResult? Problem, string? Reason);

    /// <param name="body">UTF-8 JSON; empty means <c>{}</c> (a job whose arguments all have defaults needs no body).</param>
    public static Result Bind(Type argsType, ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.IsEmpty ? "{}"u8.ToArray() : body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            return Fail(ApiProblems.MalformedJson(ex), "malformed JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(ApiProblems.NotAnObject(root.ValueKind), "body is not a JSON object");
            }

            var contract = Json.GetTypeInfo(argsType);
            var errors = CheckMembers(root, contract);
            if (errors.Count > 0)
            {
                return Fail(ApiProblems.InvalidArguments(errors), "unknown or missing fields");
            }

            object? args;
            try
            {
                args = root.Deserialize(contract);
            }
            catch (JsonException ex)
            {
                // Wrong types, nulls for non-nullable members, and unknown fields in nested objects.
                var field = ex.Path is null or "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
                return Fail(ApiProblems.InvalidArguments(new() { [field] = [Explain(root, contract, field, ex)] }), "invalid value");
            }

            if (args is null)
            {
                return Fail(ApiProblems.NotAnObject(JsonValueKind.Null), "body is null");
            }

            errors = Validate(args, contract);
            return errors.Count > 0 ? Fail(ApiProblems.InvalidArguments(errors), "validation failed") : new Result(args, null, null);
        }
    }

    /// <summary>The argument fields a job takes, by their JSON names, for error messages.</summary>
    public static IReadOnlyList<string> FieldsOf(Type argsType) => [.. Json.GetTypeInfo(argsType).Properties.Select(p => p.Name)];

    private static Dictionary<string, string[]> CheckMembers(JsonElement root, JsonTypeInfo contract)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var known = contract.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            present.Add(property.Name);
            if (!known.Contains(property.Name))
            {
                errors[property.Name] = [$"Unknown field. The fields are: {string.Join(", ", known)}."];
            }
        }

        foreach (var property in contract.Properties.Where(p => !present.Contains(p.Name)))
        {
            if (property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false })
            {
                errors[property.Name] = ["Required."];
            }
        }

        return errors;
    }

    private static Dictionary<string, string[]> Validate(object args, JsonTypeInfo contract)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(args, new ValidationContext(args), results, validateAllProperties: true))
        {
            return [];
        }

        // DataAnnotations speak in .NET property names; callers only ever see the JSON ones.
        var jsonNames = contract.Properties
            .Where(p => p.AttributeProvider is MemberInfo)
            .ToDictionary(p => ((MemberInfo)p.AttributeProvider!).Name, p => p.Name, StringComparer.Ordinal);
        return results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : ["$"]).Select(member => (Member: member, Message: r.ErrorMessage ?? "Invalid.")))
            .GroupBy(e => jsonNames.GetValueOrDefault(e.Member, e.Member), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.Select(e => jsonNames.TryGetValue(e.Member, out var json)
                    ? Regex.Replace(e.Message, $@"\b{Regex.Escape(e.Member)}\b", json)
                    : e.Message).ToArray(),
                StringComparer.Ordinal);
    }

    /// <summary>
    /// The serializer's own message names .NET types (often the whole record rather than the field), which means
    /// nothing to a caller writing JSON; for a top-level field, say what JSON it takes instead.
    /// </summary>
    private static string Explain(JsonElement root, JsonTypeInfo contract, string field, JsonException ex)
    {
        var property = contract.Properties.FirstOrDefault(p => p.Name == field);
        if (property is null)
        {
            return WithoutPosition(ex.Message);
        }

        if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Null)
        {
            return "Must not be null.";
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var expected = type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(Guid) => "a GUID string",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "an ISO 8601 date-time string",
            _ when type.IsEnum => "one of: " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)),
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number in range",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
            _ => "a value of the right shape",
        };
        return $"Expected {expected}.";
    }

    private static Result Fail(IResult problem, string reason) => new(null, problem, reason);

    /// <summary>System.Text.Json appends a zero-based "Path: … | LineNumber: … | BytePositionInLine: …"; the field name already says where.</summary>
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            AllowDuplicateProperties = false,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
