using Dashboard.Web.Api;
using Dashboard.Web.Tests.Fakes;

namespace Dashboard.Web.Tests.Api;

public sealed class ApiKeyRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAcquire_UpToTheLimit_AllowedThenRefusedWithRetryAfter()
    {
        var clock = new SettableTimeProvider(Start);
        var limiter = new ApiKeyRateLimiter(clock);

        var allowed = Enumerable.Range(0, 6).Select(_ => limiter.TryAcquire("ci", 6)).ToList();
        var refused = limiter.TryAcquire("ci", 6);

        Assert.All(allowed, d => Assert.True(d.Allowed));
        Assert.False(refused.Allowed);
        // 6 a minute is one every 10 seconds.
        Assert.Equal(TimeSpan.FromSeconds(10), refused.RetryAfter);
    }

    [Fact]
    public void TryAcquire_AfterRetryAfter_AllowedAgain()
    {
        var clock = new SettableTimeProvider(Start);
        var limiter = new ApiKeyRateLimiter(clock);
        for (var i = 0; i < 6; i++)
        {
            limiter.TryAcquire("ci", 6);
        }

        var refused = limiter.TryAcquire("ci", 6);
        clock.Now += refused.RetryAfter - TimeSpan.FromSeconds(1);
        Assert.False(limiter.TryAcquire("ci", 6).Allowed);
        clock.Now += TimeSpan.FromSeconds(1);

        Assert.True(limiter.TryAcquire("ci", 6).Allowed);
        Assert.False(limiter.TryAcquire("ci", 6).Allowed);
    }

    [Fact]
    public void TryAcquire_OneKeyExhausted_OtherKeysUnaffected()
    {
        var limiter = new ApiKeyRateLimiter(new SettableTimeProvider(Start));
        limiter.TryAcquire("ci", 1);

        Assert.False(limiter.TryAcquire("ci", 1).Allowed);
        Assert.True(limiter.TryAcquire("billing", 1).Allowed);
    }

    [Fact]
    public void TryAcquire_LongIdle_BurstCappedAtOneMinutesWorth()
    {
        var clock = new SettableTimeProvider(Start);
        var limiter = new ApiKeyRateLimiter(clock);
        limiter.TryAcquire("ci", 3);
        clock.Now += TimeSpan.FromHours(1);

        var decisions = Enumerable.Range(0, 4).Select(_ => limiter.TryAcquire("ci", 3).Allowed).ToList();

        Assert.Equal([true, true, true, false], decisions);
    }

    [Fact]
    public void TryAcquire_ShortRetry_RetryAfterAtLeastOneSecond()
    {
        var limiter = new ApiKeyRateLimiter(new SettableTimeProvider(Start));
        for (var i = 0; i < 6000; i++)
        {
            limiter.TryAcquire("ci", 6000);
        }

        var refused = limiter.TryAcquire("ci", 6000);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
    }
}
