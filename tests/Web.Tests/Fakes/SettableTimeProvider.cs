namespace Dashboard.Web.Tests.Fakes;

/// <summary>A clock the test moves, for behaviour that depends on how much time passed.</summary>
internal sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
