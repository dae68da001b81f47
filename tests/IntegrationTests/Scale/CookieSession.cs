using System.Net;
using System.Text.RegularExpressions;

namespace Dashboard.IntegrationTests.Scale;

/// <summary>
/// A signed-in browser over plain HTTP to an app process. Cookies are kept by hand: the app runs as Production, where
/// its cookies are Secure, and .NET's cookie container would not send them to http://127.0.0.1 (browsers do).
/// </summary>
internal sealed partial class CookieSession : IDisposable
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly HttpClient _http;

    public CookieSession(Uri baseAddress) =>
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Fetches the sign-in form, posts it back filled in, and checks that the answer is the redirect home.</summary>
    public async Task SignInAsync(string email, string password)
    {
        using var form = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "account/login?ReturnUrl=%2F"));
        var fields = HiddenInput().Matches(await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var post = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "account/login?ReturnUrl=%2F") { Content = new FormUrlEncodedContent(fields) });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("dashboard-auth", _cookies.Keys);
    }

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var header in setCookies)
                {
                    var pair = header.Split(';', 2)[0].Split('=', 2);
                    _cookies[pair[0].Trim()] = pair.Length > 1 ? pair[1] : "";
                }
            }

            return response;
        }
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();
}
