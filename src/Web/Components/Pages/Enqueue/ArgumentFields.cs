using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Web.Components.Pages.Enqueue;

/// <summary>Which input a field gets; every kind turns into the JSON the HTTP API would take for it.</summary>
public enum ArgumentKind
{
    Text,
    MultilineText,
    Url,
    Integer,
    Number,
    Boolean,
    Choice,
    DateTime,
    /// <summary>A list of strings, one per line.</summary>
    Lines,
    /// <summary>Anything else (dictionaries, nested records, other lists): typed as JSON.</summary>
    Json,
}

/// <param name="Name">The JSON (camelCase) name, as the HTTP API and its errors name the field.</param>
/// <param name="Choices">For <see cref="ArgumentKind.Choice"/>: the JSON values of the enum, in declaration order.</param>
/// <param name="Default">The record's default as form text; null when the field has none.</param>
public sealed record ArgumentField(
    string Name, string Label, string? Description, ArgumentKind Kind, bool Required, IReadOnlyList<string> Choices, string? Default);

/// <summary>
/// A form generated from a job's argument record, and the camelCase JSON built back from what was typed. The JSON
/// is then bound by <see cref="JobArguments"/>, so the page enforces exactly the rules the HTTP API enforces.
/// </summary>
public static partial class ArgumentFields
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static IReadOnlyList<ArgumentField> Of(Type argsType)
    {
        var constructor = argsType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var parameters = constructor?.GetParameters() ?? [];
        var properties = argsType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var fields = new List<ArgumentField>();
        foreach (var name in JobArguments.FieldsOf(argsType))
        {
            var property = properties.FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == name
                || p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name == name);
            if (property is null)
            {
                continue;
            }

            var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var kind = KindOf(property, type);
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && Nullability.Create(property).WriteState == NullabilityState.Nullable);
            var required = property.GetCustomAttribute<RequiredAttribute>() is not null
                || property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null
                || (parameter is { HasDefaultValue: false } && !nullable);
            var display = property.GetCustomAttribute<DisplayAttribute>();
            fields.Add(new ArgumentField(
                name,
                display?.GetName() ?? property.GetCustomAttribute<DisplayNameAttribute>()?.DisplayName ?? Humanize(property.Name),
                display?.GetDescription() ?? property.GetCustomAttribute<DescriptionAttribute>()?.Description,
                kind,
                required,
                type.IsEnum ? [.. Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)] : [],
                parameter is { HasDefaultValue: true } ? DefaultText(parameter.DefaultValue, kind) : kind == ArgumentKind.Boolean ? "false" : null));
        }

        return fields;
    }

    /// <summary>
    /// The JSON object for <paramref name="values"/> (by field name). Empty inputs are left out, so the API's own
    /// rules decide between "Required." and the record's default. Text that is not a number or a date goes in as a
    /// string, for the binder to reject with its usual message; only unparseable JSON fields fail here.
    /// </summary>
    public static (string Json, Dictionary<string, string[]> Errors) ToJson(IReadOnlyList<ArgumentField> fields, IReadOnlyDictionary<string, string?> values)
    {
        var json = new JsonObject();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var text = values.GetValueOrDefault(field.Name);
            if (field.Kind == ArgumentKind.Boolean)
            {
                json[field.Name] = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            switch (field.Kind)
            {
                case ArgumentKind.Integer when long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole):
                    json[field.Name] = whole;
                    break;
                case ArgumentKind.Number when decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                    json[field.Name] = number;
                    break;
                case ArgumentKind.DateTime when DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                    json[field.Name] = at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
                    break;
                case ArgumentKind.Lines:
                    json[field.Name] = new JsonArray([.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => (JsonNode?)JsonValue.Create(l))]);
                    break;
                case ArgumentKind.Json:
                    try
                    {
                        json[field.Name] = JsonNode.Parse(text);
                    }
                    catch (JsonException ex)
                    {
                        errors[field.Name] = [$"Must be valid JSON: {ex.Message}"];
                    }

                    break;
                case ArgumentKind.Text or ArgumentKind.MultilineText or ArgumentKind.Url or ArgumentKind.Choice:
                    // Line endings typed in a browser arrive as \r\n; the API gets exactly what was typed.
                    json[field.Name] = text;
                    break;
                default:
                    json[field.Name] = text.Trim();
                    break;
            }
        }

        return (json.ToJsonString(), errors);
    }

    /// <summary>
    /// Binds <paramref name="json"/> with the HTTP API's binder (<see cref="JobArguments"/>): the same names, types,
    /// required fields and DataAnnotations. Errors come back by top-level field, as the form shows them.
    /// </summary>
    public static (object? Args, IReadOnlyDictionary<string, string[]> Errors) Bind(Type argsType, string json)
    {
        var bound = JobArguments.Bind(argsType, Encoding.UTF8.GetBytes(json));
        return (bound.Args, ErrorsOf(bound));
    }

    /// <summary>The binder answers with the HTTP API's problem+json; the page wants the same messages by field.</summary>
    private static IReadOnlyDictionary<string, string[]> ErrorsOf(JobArguments.Result bound) => bound.Problem switch
    {
        null => new Dictionary<string, string[]>(),
        // A nested field's error ("headers.x") belongs next to its top-level input.
        IValueHttpResult { Value: HttpValidationProblemDetails validation } => validation.Errors
            .GroupBy(e => e.Key.Split('.', '[')[0] is { Length: > 0 } field ? field : "$", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray(), StringComparer.Ordinal),
        IValueHttpResult { Value: ProblemDetails problem } => new Dictionary<string, string[]> { ["$"] = [problem.Detail ?? problem.Title ?? bound.Reason ?? "Invalid."] },
        _ => new Dictionary<string, string[]> { ["$"] = [bound.Reason ?? "Invalid."] },
    };

    private static ArgumentKind KindOf(PropertyInfo property, Type type)
    {
        if (type == typeof(string))
        {
            var length = property.GetCustomAttribute<StringLengthAttribute>()?.MaximumLength ?? property.GetCustomAttribute<MaxLengthAttribute>()?.Length;
            var dataType = property.GetCustomAttribute<DataTypeAttribute>()?.DataType;
            return dataType == DataType.Url || property.GetCustomAttributes<ValidationAttribute>().Any(a => a.GetType().Name.EndsWith("UrlAttribute", StringComparison.Ordinal)) ? ArgumentKind.Url
                : dataType == DataType.MultilineText || length > 1000 || LongTextName().IsMatch(property.Name) ? ArgumentKind.MultilineText
                : ArgumentKind.Text;
        }

        return type switch
        {
            _ when type == typeof(Uri) => ArgumentKind.Url,
            _ when type == typeof(bool) => ArgumentKind.Boolean,
            _ when type.IsEnum => ArgumentKind.Choice,
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => ArgumentKind.Integer,
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => ArgumentKind.Number,
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => ArgumentKind.DateTime,
            _ when type == typeof(Guid) => ArgumentKind.Text,
            _ when IsStringList(type) => ArgumentKind.Lines,
            _ => ArgumentKind.Json,
        };
    }

    private static bool IsStringList(Type type) =>
        type == typeof(string[])
        || (type.IsGenericType && type.GetGenericArguments() is [var item] && item == typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)
            && !typeof(IDictionary).IsAssignableFrom(type));

    private static string? DefaultText(object? value, ArgumentKind kind) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        Enum e => JsonNamingPolicy.CamelCase.ConvertName(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => kind == ArgumentKind.Json ? null : value.ToString(),
    };

    /// <summary><c>MessageKey</c> → <c>Message key</c>.</summary>
    private static string Humanize(string name)
    {
        var words = WordStart().Replace(name, " $1").Trim();
        return words.Length == 0 ? name : words[0] + words[1..].ToLowerInvariant();
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();

    /// <summary>Names that hold free text or a document rather than a token.</summary>
    [GeneratedRegex("(Body|Json|Payload|Text|Description|Message|Notes?)$")]
    private static partial Regex LongTextName();
}
