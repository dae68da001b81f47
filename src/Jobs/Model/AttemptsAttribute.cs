namespace Dashboard.Jobs.Model;

/// <summary>
/// How many times a job class runs in all (the first run plus retries) before it lands in Failed.
/// <c>Dashboard:Retry:Attempts:&lt;job-name&gt;</c> overrides it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AttemptsAttribute(int attempts) : Attribute
{
    public int Attempts { get; } = attempts >= 1 ? attempts : throw new ArgumentOutOfRangeException(nameof(attempts), "At least one attempt.");
}
