using Dashboard.Jobs.Hosting;
using Dashboard.Jobs.Model;
using Hangfire;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dashboard.Web.Api;

/// <summary>
/// <c>POST /api/jobs/{name}</c> (DESIGN.md §7): other services enqueue a job by its short name with its arguments as
/// JSON, authorised by an API key. Every check runs before anything is stored, so a rejected request enqueues nothing.
/// </summary>
internal static class JobsApi
{
    /// <summary>Arguments are ids and small values; anything near this size is a blob that belongs elsewhere.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddJobsApi(this IServiceCollection services)
    {
        // Read from the configuration in DI, not the builder's: test hosts add their settings only at Build.
        services.AddOptions<ApiKeyOptions>()
            .Configure<IConfiguration>((options, configuration) => ApiKeyOptions.ReadFrom(configuration, options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyScopeValidation>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyRateLimiter>();
        services.AddSingleton<ApiKeyRefusalAudit>();
        services.AddSingleton<DatabaseApiKeys>();
        services.AddSingleton<EnqueueEndpoint>();
        return services;
    }

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/jobs/{name}", (string name, HttpContext context, EnqueueEndpoint endpoint) => endpoint.HandleAsync(name, context))
            .WithName("EnqueueJob")
            // The endpoint checks its bearer key itself; the sign-in cookie and its redirect do not apply here.
            .AllowAnonymous();
        return app;
    }

    /// <summary>The steps of one request, in the order a caller would want to hear about problems.</summary>
    internal sealed class EnqueueEndpoint(
        ApiKeyStore keys,
        DatabaseApiKeys databaseKeys,
        ApiKeyRateLimiter rates,
        ApiKeyRefusalAudit refusals,
        JobCatalog catalog,
        JobEnqueuer enqueuer,
        IOptions<HangfireOptions> hangfire,
        ILogger<EnqueueEndpoint> logger)
    {
        public async Task<IResult> HandleAsync(string name, HttpContext context)
        {
            var request = context.Request;
            var token = BearerToken(request);
            var caller = token is null ? null : keys.Authenticate(token);
            if (caller is null && token is not null)
            {
                try
                {
                    caller = await databaseKeys.AuthenticateAsync(token, context.RequestAborted);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The keys created in the UI cannot be read: the caller may hold a valid one, so this is not a 401.
                    JobsApiLog.KeysUnavailable(logger, ex, name);
                    return ApiProblems.StorageUnavailable();
                }
            }

            if (caller is null)
            {
                // Before the job name is looked at: without a key, nobody learns which jobs exist.
                JobsApiLog.Unauthorized(logger, name, RemoteIp(context), token is null ? "no bearer token" : "unknown API key");
                return ApiProblems.Unauthorized(context.Response, keyPresented: token is not null);
            }

            var keyName = caller.Name;
            var scope = caller.Scope;

            // Every request of the key counts, refused ones too: a caller looping on 403 is held to its rate as well.
            var rate = rates.TryAcquire(keyName, scope.RequestsPerMinute);
            if (!rate.Allowed)
            {
                await refusals.RecordAsync(
                    keyName, ApiKeyRefusalAudit.RateLimitedAction, $"{name}: over {scope.RequestsPerMinute} requests per minute", RemoteIp(context), context.RequestAborted);
                return Reject(name, keyName, StatusCodes.Status429TooManyRequests, "over the key's rate", ApiProblems.TooManyRequests(context.Response, keyName, scope.RequestsPerMinute, rate.RetryAfter));
            }

            var descriptor = catalog.Find(name);
            if (descriptor is null)
            {
                return Reject(name, keyName, StatusCodes.Status404NotFound, "unknown job", ApiProblems.UnknownJob(name, catalog.Jobs.Select(j => j.Name).Where(scope.AllowsJob)));
            }

            if (!scope.AllowsJob(descriptor.Name))
            {
                await refusals.RecordAsync(keyName, ApiKeyRefusalAudit.ForbiddenAction, $"{descriptor.Name}: not among the key's jobs", RemoteIp(context), context.RequestAborted);
                return Reject(name, keyName, StatusCodes.Status403Forbidden, "job not in the key's scope", ApiProblems.JobNotInScope(keyName, descriptor.Name, scope.Jobs ?? []));
            }

            string? queue = null;
            if (request.Query.TryGetValue("queue", out var queues))
            {
                var configured = hangfire.Value.EffectiveQueues;
                queue = queues.ToString();
                if (queues.Count != 1 || !configured.Contains(queue, StringComparer.Ordinal))
                {
                    return Reject(name, keyName, StatusCodes.Status400BadRequest, "unknown queue", ApiProblems.UnknownQueue(queue, configured));
                }
            }

            var target = queue ?? descriptor.Queue;
            if (!scope.AllowsQueue(target))
            {
                await refusals.RecordAsync(keyName, ApiKeyRefusalAudit.ForbiddenAction, $"{descriptor.Name} into queue {target}: not among the key's queues", RemoteIp(context), context.RequestAborted);
                return Reject(name, keyName, StatusCodes.Status403Forbidden, "queue not in the key's scope", ApiProblems.QueueNotInScope(keyName, target, requested: queue is not null, scope.Queues ?? []));
            }

            var declaredJson = IsJson(request.ContentType);
            if (request.ContentType is not null && !declaredJson)
            {
                return Reject(name, keyName, StatusCodes.Status415UnsupportedMediaType, "not JSON", ApiProblems.UnsupportedMediaType(request.ContentType));
            }

            var body = await ReadBodyAsync(request, context.RequestAborted);
            if (body is null)
            {
                return Reject(name, keyName, StatusCodes.Status413PayloadTooLarge, "body too large", ApiProblems.TooLarge(MaxBodyBytes));
            }

            if (body.Value.Length > 0 && !declaredJson)
            {
                return Reject(name, keyName, StatusCodes.Status415UnsupportedMediaType, "no content type", ApiProblems.UnsupportedMediaType(null));
            }

            var bound = JobArguments.Bind(descriptor.ArgsType, body.Value);
            if (bound.Problem is not null)
            {
                return Reject(name, keyName, StatusCodes.Status400BadRequest, bound.Reason!, bound.Problem);
            }

            string jobId;
            try
            {
                jobId = enqueuer.Enqueue(descriptor, bound.Args!, queue);
            }
            catch (BackgroundJobClientException ex)
            {
                JobsApiLog.StorageFailed(logger, ex, name, keyName);
                return ApiProblems.StorageUnavailable();
            }

            JobsApiLog.Enqueued(logger, name, jobId, queue ?? descriptor.Queue, keyName);
            return Results.Accepted($"/jobs/{Uri.EscapeDataString(jobId)}", new EnqueuedJob(jobId));
        }

        private IResult Reject(string name, string keyName, int status, string reason, IResult problem)
        {
            JobsApiLog.Rejected(logger, name, keyName, status, reason);
            return problem;
        }

        private static string? RemoteIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

        private static string? BearerToken(HttpRequest request)
        {
            var headers = request.Headers.Authorization;
            if (headers.Count != 1 || headers[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var token = value["Bearer ".Length..].Trim();
            return token.Length == 0 ? null : token;
        }

        private static bool IsJson(string? contentType)
        {
            if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
            {
                return false;
            }

            // The body is parsed as UTF-8 (RFC 8259 allows nothing else on the wire).
            var utf8 = !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
            return utf8 && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// Reads at most one byte past the limit: Content-Length may be absent (chunked) or wrong, so the limit is
        /// enforced on what actually arrives. Null means too large.
        /// </summary>
        private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
        {
            if (request.ContentLength > MaxBodyBytes)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return null;
                }
            }

            return buffer.ToArray();
        }
    }

    internal sealed record EnqueuedJob(string JobId);
}
