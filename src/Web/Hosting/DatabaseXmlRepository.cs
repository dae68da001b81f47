using System.Xml.Linq;
using Dashboard.Data;
using Dashboard.Data.Entities;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Hosting;

/// <summary>
/// Keeps data-protection keys in PostgreSQL, so antiforgery tokens and cookies issued by one web replica are
/// accepted by the others and survive restarts of the container.
/// </summary>
internal sealed class DatabaseXmlRepository(Func<IDbContextFactory<DashboardDbContext>> contexts) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var context = contexts().CreateDbContext();
        return [.. context.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var context = contexts().CreateDbContext();
        context.DataProtectionKeys.Add(new DataProtectionKeyRecord
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        context.SaveChanges();
    }
}
