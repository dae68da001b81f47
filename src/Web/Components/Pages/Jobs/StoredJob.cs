using System.Text.Json;
using Hangfire.Common;
using Hangfire.Storage;

namespace Dashboard.Web.Components.Pages.Jobs;

/// <summary>A job's stored invocation (Hangfire.PostgreSql's <c>job.invocationdata</c> and <c>job.arguments</c>), loaded when this process can.</summary>
internal sealed record StoredJob(string TypeName, string MethodName, string? RawArguments, Job? Job, string? LoadError)
{
    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public static StoredJob From(string invocationJson, string? argumentsJson)
    {
        var stored = JsonSerializer.Deserialize<Invocation>(invocationJson, CaseInsensitive) ?? new Invocation();
        var arguments = argumentsJson ?? stored.Arguments;
        var typeName = ShortTypeName(stored.Type);
        try
        {
            var job = new InvocationData(stored.Type, stored.Method, stored.ParameterTypes, arguments).DeserializeJob();
            return new StoredJob(typeName, stored.Method ?? "", arguments, job, null);
        }
        catch (Exception ex) when (ex is JobLoadException or ArgumentException or InvalidOperationException or JsonException)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            return new StoredJob(typeName, stored.Method ?? "(unknown method)", arguments, null, $"The class {stored.Type ?? "(unknown type)"} cannot be loaded by this version of the app: {reason}");
        }
    }

    /// <summary><c>Dashboard.Jobs.Email.SendEmailJob, Dashboard.Jobs</c> → <c>SendEmailJob</c>.</summary>
    public static string ShortTypeName(string? assemblyQualified)
    {
        if (string.IsNullOrWhiteSpace(assemblyQualified))
        {
            return "(unknown type)";
        }

        var type = assemblyQualified.Split(',')[0].Trim();
        return type[(type.LastIndexOfAny(['.', '+']) + 1)..];
    }

    private sealed class Invocation
    {
        public string? Type { get; set; }

        public string? Method { get; set; }

        public string? ParameterTypes { get; set; }

        public string? Arguments { get; set; }
    }
}
