using Dashboard.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Jobs.Webhooks;

internal static class WebhookHostingExtensions
{
    /// <summary>
    /// Options and the HTTP client of <see cref="DeliverWebhookJob"/>; the job class itself is registered by the job
    /// catalog like every other job.
    /// </summary>
    internal static IHostApplicationBuilder AddWebhookJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookConnector>();

        services.AddHttpClient(DeliverWebhookJob.HttpClientName, client =>
            {
                // The job enforces Dashboard:Webhooks:Timeout per attempt; HttpClient's own 100 s would only race it.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Dashboard-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                // Resolves the target itself and connects only to an address outside the refused ranges (loopback,
                // private, link-local/metadata, ...) unless Dashboard:Webhooks:AllowPrivateNetworks allows it.
                ConnectCallback = services.GetRequiredService<WebhookConnector>().ConnectAsync,
                // Through a proxy the socket would go to the proxy and the proxy would reach the target unvetted.
                UseProxy = false,
                // A signed POST is not re-sent to wherever a target points (3xx is a permanent failure instead).
                AllowAutoRedirect = false,
                // One handler serves every target: a cookie set by one receiver must not travel to another.
                UseCookies = false,
            })
            // The job logs one line per attempt with the host only; the factory's loggers would add the full URL,
            // and webhook URLs often carry a token in the path.
            .RemoveAllLoggers();
        return builder;
    }
}
