using Dashboard.Data;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Jobs.Email;

internal static class EmailHostingExtensions
{
    /// <summary>
    /// Options of the email jobs. The job classes themselves are registered by the job catalog like every other job;
    /// the options are validated at start-up so a missing relay is reported before the first email fails.
    /// </summary>
    internal static IHostApplicationBuilder AddEmailJobs(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<SmtpOptions>(SmtpOptions.Section);
        return builder;
    }
}
