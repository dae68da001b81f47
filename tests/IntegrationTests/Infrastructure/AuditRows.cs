using Dashboard.Data;
using Dashboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Infrastructure;

internal static class AuditRows
{
    /// <summary>The audit entries about <paramref name="target"/>, oldest first.</summary>
    public static async Task<List<AuditEntry>> ForAsync(IServiceProvider services, string target)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var context = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await context.AuditEntries.AsNoTracking().Where(e => e.Target == target).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }
}
