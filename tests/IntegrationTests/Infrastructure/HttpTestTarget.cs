using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, free port) that stands in for a webhook receiver: it records every
/// request and answers the scripted responses in order, then 200 OK once the script runs out.
/// </summary>
internal sealed class HttpTestTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Lock _lock = new();

    private HttpTestTarget(WebApplication app) => _app = app;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<HttpTestTarget> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var target = new HttpTestTarget(app);
        app.Run(target.HandleAsync);
        await app.StartAsync(cancellationToken);
        // After start, the bound address with the port Kestrel picked.
        var address = app.Urls.Single();
        target.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return target;
    }

    public string Url(string path = "hooks/in") => new Uri(BaseAddress, path).ToString();

    /// <summary>Queues the answer to the next request not yet answered by an earlier entry.</summary>
    public HttpTestTarget Then(int status, string body = "", TimeSpan delay = default, string? location = null)
    {
        _script.Enqueue(new ScriptedResponse(status, body, delay, location));
        return this;
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, until <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count, TimeSpan timeout) =>
        Poll.UntilAsync(() => Requests.Count >= count, timeout, $"{count} request(s) at the HTTP test target");

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            _requests.Add(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body));
        }

        var response = _script.TryDequeue(out var scripted) ? scripted : new ScriptedResponse(200, "", TimeSpan.Zero, null);
        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                // Bounded by the delay, and cut short when the client gives up.
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        if (response.Location is not null)
        {
            context.Response.Headers.Location = response.Location;
        }

        if (response.Body.Length > 0)
        {
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private sealed record ScriptedResponse(int Status, string Body, TimeSpan Delay, string? Location);
}

/// <summary>One request as the test target saw it; header names are case-insensitive.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
