namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>A clock the test sets, for services whose answers depend on "now".</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
