using System.Net;
using Dashboard.Jobs.Diagnostics;
using Dashboard.Web.Security;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.IntegrationTests.Web.Security;

/// <summary>Unknown and malformed job ids in URLs get a 404 page, not an exception or a 200.</summary>
public sealed class JobDetailsStatusTests(SecurityApp app) : IClassFixture<SecurityApp>
{
    [Theory]
    [InlineData("987654321")]
    [InlineData("not-a-number")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task Get_UnknownOrMalformedId_Is404NotFoundPage(string id)
    {
        var viewer = await app.CreateUserAsync(UserRoles.Viewer);
        using var client = await app.SignedInClientAsync(viewer.Email!);

        var response = await client.GetAsync(new Uri($"/jobs/{Uri.EscapeDataString(id)}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ExistingJob_Is200WithItsType()
    {
        var jobId = app.Services.GetRequiredService<IBackgroundJobClient>().Schedule<DiagnosticsJob>(
            j => j.RunAsync(new DiagnosticsArgs(), CancellationToken.None), TimeSpan.FromHours(1));
        var viewer = await app.CreateUserAsync(UserRoles.Viewer);
        using var client = await app.SignedInClientAsync(viewer.Email!);

        var response = await client.GetAsync(new Uri($"/jobs/{jobId}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("DiagnosticsJob", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
