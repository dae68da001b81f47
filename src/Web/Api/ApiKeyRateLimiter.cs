using System.Collections.Concurrent;

namespace Dashboard.Web.Api;

/// <summary>
/// The per-key request rate of the HTTP API, in this process's memory: one token bucket per key name that holds a
/// minute's worth of requests and refills continuously, so a caller may burst up to its limit and then sends at an
/// even pace. Per process, not per cluster: N web replicas behind a balancer allow up to N times the rate, which is
/// the price of not adding a database write (or a shared counter) to every request. The buckets are keyed by the names
/// of accepted keys only, so a flood of wrong keys adds nothing here.
/// </summary>
public sealed class ApiKeyRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes one request from the key's allowance; when none is left, says how long until one is.</summary>
    public RateDecision TryAcquire(string keyName, int requestsPerMinute)
    {
        var now = time.GetUtcNow();
        var bucket = _buckets.GetOrAdd(keyName, _ => new Bucket(requestsPerMinute, now));
        lock (bucket)
        {
            // A limit changed on the page (or in a new key's scope) applies from the next request, keeping what is left.
            var capacity = (double)requestsPerMinute;
            var perSecond = capacity / 60;
            var elapsed = Math.Max(0, (now - bucket.UpdatedAt).TotalSeconds);
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + (elapsed * perSecond));
            bucket.UpdatedAt = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return new RateDecision(true, TimeSpan.Zero);
            }

            // Whole seconds, rounded up, as Retry-After is written: retrying then finds a request's worth.
            var wait = Math.Max(1, Math.Ceiling((1 - bucket.Tokens) / perSecond));
            return new RateDecision(false, TimeSpan.FromSeconds(wait));
        }
    }

    private sealed class Bucket(double tokens, DateTimeOffset updatedAt)
    {
        public double Tokens { get; set; } = tokens;

        public DateTimeOffset UpdatedAt { get; set; } = updatedAt;
    }
}

public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter);
