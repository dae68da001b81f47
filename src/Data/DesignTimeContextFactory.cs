using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dashboard.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the app or a database.
/// </summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DashboardDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=dashboard", npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", DashboardDbContext.Schema))
            .Options);
}
