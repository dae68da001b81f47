using System.Threading.RateLimiting;
using Dashboard.Data;
using Dashboard.Data.Embedded;
using Dashboard.Data.Entities;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Security;

/// <summary>
/// Accounts (ASP.NET Core Identity on <see cref="DashboardDbContext"/>), the sign-in cookie, the first administrator,
/// login rate limiting and the hardening of the pipeline, for the <c>web</c> role.
/// </summary>
public static class IdentitySetup
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>The rate-limit policy of the sign-in form's posts, per client address.</summary>
    public const string LoginRateLimit = "signin";

    public static WebApplicationBuilder AddDashboardSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddValidatedOptions<SecurityOptions>(SecurityOptions.Section);
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);

        services.AddDashboardPolicies()
            // Every endpoint without its own rule needs a signed-in user with a role; the exceptions say so.
            .SetFallbackPolicy(Policies.ViewPolicy);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationState>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<DashboardUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 4;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                // No account-wide lockout: it lets anyone who knows an email lock its owner out. SignInThrottle
                // counts failures per account and address instead; Identity's lockout stays only for an admin's use.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DashboardDbContext>()
            .AddSignInManager<DashboardSignInManager>()
            .AddDefaultTokenProviders();
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
            o.ValidationInterval = security.Value.SessionRevalidationInterval);

        var development = builder.Environment.IsDevelopment();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "dashboard-auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Development and the in-process tests talk plain http; everywhere else the cookie never leaves TLS.
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = AccessDeniedPath;
        });

        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A body keeps the status-code pages from re-running the request as a page (which would redirect).
            o.OnRejected = (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "60";
                return new ValueTask(rejected.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address; wait a minute.", cancellationToken));
            };
            var limit = security.Value.LoginAttemptsPerMinute;
            // Attached to the sign-in component itself ([EnableRateLimiting] on Login.razor), so every spelling of its
            // path that routing sends there counts. Only posts are limited: they are what a guessing script sends.
            o.AddPolicy(LoginRateLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("form"));
        });

        services.AddHostedService<AdminBootstrapper>();
        return builder;
    }

    /// <summary>Transport hardening and headers; call first, before anything writes a response.</summary>
    public static WebApplication UseDashboardTransportSecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (security.TrustForwardedHeaders)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            // The proxy's address is not known in advance (containers get new ones): trust whoever is in front, which
            // is only safe because the setting says nothing else can reach the app.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }

        var redirect = security.HttpsRedirection ?? !app.Environment.IsDevelopment();
        if (redirect)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseSecurityHeaders();
        return app;
    }

    /// <summary>After routing: who the user is, what they may reach, and how fast they may try passwords.</summary>
    public static WebApplication UseDashboardSignIn(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<HangfireDashboardAudit>();
        return app;
    }

    public static WebApplication MapDashboardAccount(this WebApplication app)
    {
        app.MapPost(LogoutPath, async (HttpContext http, SignInManager<DashboardUser> signIn) =>
            {
                // The middleware only marks a bad token; an endpoint that binds no form must refuse it itself, or
                // another site could sign users out with a hidden form.
                if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                {
                    // With a body, so the status-code pages do not re-run the pipeline with the same bad form.
                    return Results.Text("Sign-out needs the form's antiforgery token.", statusCode: StatusCodes.Status400BadRequest);
                }

                await signIn.SignOutAsync();
                return Results.LocalRedirect("~" + LoginPath);
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymous();

        // Hangfire resolves its storage while mapping, which reaches the database. When there is none (no connection
        // string, no PostgreSQL binaries), map nothing: DashboardCommands then reports that with its one clear
        // message and exit code instead of an unhandled exception here.
        JobStorage storage;
        try
        {
            storage = app.Services.GetRequiredService<JobStorage>();
        }
        catch (PostgresUnavailableException)
        {
            return app;
        }

        // Hangfire's own pages: signed in with a role to look, read-only unless the user may operate.
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.View, SecurityHeaders.HangfirePath, storage: storage, options: new DashboardOptions
        {
            AppPath = "/",
            DisplayStorageConnectionString = false,
            IsReadOnlyFunc = context => !CanOperate(context),
        });
        return app;
    }

    private static bool CanOperate(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return Policies.OperateRoles.Any(user.IsInRole);
    }
}
