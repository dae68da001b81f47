using Dashboard.Jobs.Hosting;

namespace Dashboard.Jobs.Tests.Hosting;

public sealed class DashboardRolesTests
{
    [Theory]
    [InlineData(null, true, true)]
    [InlineData("", true, true)]
    [InlineData("web,worker", true, true)]
    [InlineData(" Worker , WEB ", true, true)]
    [InlineData("web", true, false)]
    [InlineData("worker", false, true)]
    public void Parse_KnownValues_SetsRoles(string? value, bool web, bool worker)
    {
        var roles = DashboardRoles.Parse(value);

        Assert.Equal(web, roles.Web);
        Assert.Equal(worker, roles.Worker);
    }

    [Fact]
    public void Parse_UnknownRole_ErrorNamesKeyAndValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DashboardRoles.Parse("web,scheduler"));

        Assert.Contains("Dashboard:Roles", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scheduler'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("worker,web", "web,worker")]
    [InlineData("web", "web")]
    [InlineData("worker", "worker")]
    public void ToString_WritesCanonicalForm(string value, string expected)
    {
        Assert.Equal(expected, DashboardRoles.Parse(value).ToString());
    }
}
