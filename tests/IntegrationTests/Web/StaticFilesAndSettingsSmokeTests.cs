using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.IntegrationTests.Infrastructure;

namespace Dashboard.IntegrationTests.Web;

/// <summary>
/// The root wwwroot/ and appsettings.json are wired into the Web output by hand (DESIGN.md §3); this proves the built
/// app, run as its own process from its own output folder, serves our CSS and reads the root settings file.
/// </summary>
public sealed partial class StaticFilesAndSettingsSmokeTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task BuiltApp_ServesRootCssAndReadsRootAppSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = postgres.CreateDatabase(),
        });
        var url = await app.WaitForUrlAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = url };

        var css = await http.GetAsync(new Uri("css/app.css", UriKind.Relative), ct);
        Assert.True(css.StatusCode == HttpStatusCode.OK, $"GET /css/app.css: {css.StatusCode}\n{app.Output}");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        var cssText = await css.Content.ReadAsStringAsync(ct);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(AppProcess.RepositoryRoot(), "wwwroot", "css", "app.css"), ct), cssText);
        Assert.NotEmpty(cssText);

        // Dashboard:Ui:Title has no default in code (start-up fails without it), so seeing the root file's value
        // in the page proves that file was read. The sign-in page is the one page anyone may fetch.
        var expectedTitle = RootSetting("Dashboard", "Ui", "Title");
        var page = await http.GetStringAsync(new Uri("/account/login", UriKind.Relative), ct);
        Assert.Equal(expectedTitle, TitleTag().Match(page).Groups[1].Value);

        var mudCss = await http.GetAsync(new Uri("_content/MudBlazor/MudBlazor.min.css", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, mudCss.StatusCode);
    }

    private static string RootSetting(params string[] path)
    {
        var text = File.ReadAllText(Path.Combine(AppProcess.RepositoryRoot(), "appsettings.json"));
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var element = document.RootElement;
        foreach (var key in path)
        {
            element = element.GetProperty(key);
        }

        return element.GetString()!;
    }

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleTag();
}
