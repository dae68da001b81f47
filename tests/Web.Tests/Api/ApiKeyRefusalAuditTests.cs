using Dashboard.Data.Audit;
using Dashboard.Data.Entities;
using Dashboard.Web.Api;
using Dashboard.Web.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Web.Tests.Api;

public sealed class ApiKeyRefusalAuditTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 30, TimeSpan.Zero);

    private readonly RecordingAuditLog _log = new();
    private readonly SettableTimeProvider _clock = new(Start);

    [Fact]
    public async Task RecordAsync_TwentyRefusalsInAMinute_OneEntryNamingTheKey()
    {
        var audit = new ApiKeyRefusalAudit(_log, _clock, NullLogger<ApiKeyRefusalAudit>.Instance);

        for (var i = 0; i < 20; i++)
        {
            _clock.Now = Start + TimeSpan.FromSeconds(i * 2);
            await audit.RecordAsync("billing", ApiKeyRefusalAudit.ForbiddenAction, "send-email: not among the key's jobs", "127.0.0.1", TestContext.Current.CancellationToken);
        }

        var entry = Assert.Single(_log.Records);
        Assert.Equal(("apikey:billing", ApiKeyRefusalAudit.ForbiddenAction, "billing", AuditOutcome.Denied), (entry.UserName, entry.Action, entry.Target, entry.Outcome));
        Assert.Equal("127.0.0.1", entry.RemoteIp);
    }

    [Fact]
    public async Task RecordAsync_AfterAMinute_NextEntryCountsTheOnesInBetween()
    {
        var audit = new ApiKeyRefusalAudit(_log, _clock, NullLogger<ApiKeyRefusalAudit>.Instance);
        for (var i = 0; i < 5; i++)
        {
            await audit.RecordAsync("billing", ApiKeyRefusalAudit.RateLimitedAction, "over the rate", null, TestContext.Current.CancellationToken);
        }

        _clock.Now = Start + ApiKeyRefusalAudit.Resolution - TimeSpan.FromSeconds(1);
        await audit.RecordAsync("billing", ApiKeyRefusalAudit.ForbiddenAction, "send-email", null, TestContext.Current.CancellationToken);
        Assert.Single(_log.Records);
        _clock.Now = Start + ApiKeyRefusalAudit.Resolution;
        await audit.RecordAsync("billing", ApiKeyRefusalAudit.ForbiddenAction, "send-email", null, TestContext.Current.CancellationToken);

        Assert.Equal([ApiKeyRefusalAudit.RateLimitedAction, ApiKeyRefusalAudit.ForbiddenAction], _log.Records.Select(r => r.Action));
        Assert.Contains("5 more refused request(s)", _log.Records[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_TwoKeys_EachGetsItsOwnEntry()
    {
        var audit = new ApiKeyRefusalAudit(_log, _clock, NullLogger<ApiKeyRefusalAudit>.Instance);

        await audit.RecordAsync("billing", ApiKeyRefusalAudit.ForbiddenAction, "x", null, TestContext.Current.CancellationToken);
        await audit.RecordAsync("reports", ApiKeyRefusalAudit.ForbiddenAction, "x", null, TestContext.Current.CancellationToken);
        await audit.RecordAsync("billing", ApiKeyRefusalAudit.ForbiddenAction, "x", null, TestContext.Current.CancellationToken);

        Assert.Equal(["billing", "reports"], _log.Records.Select(r => r.Target));
    }

    [Fact]
    public async Task RecordAsync_AuditStoreDown_DoesNotThrow()
    {
        var audit = new ApiKeyRefusalAudit(new FailingAuditLog(), _clock, NullLogger<ApiKeyRefusalAudit>.Instance);

        await audit.RecordAsync("billing", ApiKeyRefusalAudit.ForbiddenAction, "x", null, TestContext.Current.CancellationToken);
    }

    private sealed class RecordingAuditLog : IAuditLog
    {
        public List<AuditRecord> Records { get; } = [];

        public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
        {
            Records.Add(record);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingAuditLog : IAuditLog
    {
        public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
            Task.FromException(new InvalidOperationException("the database is down"));
    }
}
