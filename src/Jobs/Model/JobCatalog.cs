using System.Reflection;
using System.Text;

namespace Dashboard.Jobs.Model;

/// <summary>
/// Every <see cref="IJob{TArgs}"/> in this assembly, found once at start-up. The HTTP API, the enqueue page and the
/// retry policy look jobs up here, so a new job class is picked up everywhere without being listed anywhere.
/// </summary>
public sealed class JobCatalog
{
    private readonly Dictionary<string, JobDescriptor> _byName;
    private readonly Dictionary<Type, JobDescriptor> _byType;

    public JobCatalog(IEnumerable<JobDescriptor> jobs)
    {
        Jobs = [.. jobs.OrderBy(j => j.Name, StringComparer.Ordinal)];
        _byName = Jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        _byType = Jobs.ToDictionary(j => j.JobType);
    }

    public IReadOnlyList<JobDescriptor> Jobs { get; }

    public static JobCatalog FromAssembly(Assembly assembly)
    {
        var jobs = new List<JobDescriptor>();
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true }))
        {
            var contract = type.GetInterfaces().SingleOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IJob<>));
            if (contract is null)
            {
                continue;
            }

            jobs.Add(new JobDescriptor(
                NameOf(type),
                type,
                contract.GetGenericArguments()[0],
                type.GetCustomAttribute<JobQueueAttribute>()?.Queue ?? "default",
                type.GetCustomAttribute<AttemptsAttribute>()?.Attempts));
        }

        return new JobCatalog(jobs);
    }

    public JobDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    public JobDescriptor? Find(Type jobType) => _byType.GetValueOrDefault(jobType);

    /// <summary><c>SendEmailJob</c> → <c>send-email</c>.</summary>
    public static string NameOf(Type jobType)
    {
        var name = jobType.Name.EndsWith("Job", StringComparison.Ordinal) ? jobType.Name[..^3] : jobType.Name;
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
