using Dashboard.Web.Api;
using Microsoft.Extensions.Options;

namespace Dashboard.Web.Tests.Api;

public sealed class ApiKeyStoreTests
{
    private const string CiKey = "ci-0123456789abcdef";
    private const string BillingKey = "billing-fedcba9876543210";

    [Fact]
    public void Authenticate_KnownKey_ReturnsItsName()
    {
        var store = Store(("ci", CiKey), ("billing", BillingKey));

        Assert.Equal("ci", store.Authenticate(CiKey)?.Name);
        Assert.Equal("billing", store.Authenticate(BillingKey)?.Name);
    }

    [Fact]
    public void Authenticate_UnknownKeyOfSameLength_ReturnsNull()
    {
        var store = Store(("ci", CiKey), ("billing", BillingKey));
        // Same length and all but the last character equal: only a full comparison can tell them apart.
        var almost = CiKey[..^1] + (CiKey[^1] == 'f' ? 'e' : 'f');

        Assert.Equal(CiKey.Length, almost.Length);
        Assert.Null(store.Authenticate(almost)?.Name);
    }

    [Fact]
    public void Authenticate_KeyDiffersOnlyInCase_ReturnsNull()
    {
        var store = Store(("ci", CiKey));

        Assert.Null(store.Authenticate(CiKey.ToUpperInvariant())?.Name);
    }

    [Fact]
    public void Authenticate_LastOfManyKeys_ReturnsItsName()
    {
        // The loop keeps going after a match and must neither lose it nor be overwritten by a later miss.
        var store = Store(("a", "aaaaaaaaaaaaaaaa1"), ("b", "bbbbbbbbbbbbbbbb2"), ("c", "cccccccccccccccc3"));

        Assert.Equal("a", store.Authenticate("aaaaaaaaaaaaaaaa1")?.Name);
        Assert.Equal("c", store.Authenticate("cccccccccccccccc3")?.Name);
    }

    [Fact]
    public void Authenticate_NoKeysConfigured_ReturnsNull()
    {
        var store = Store();

        Assert.Null(store.Authenticate(CiKey)?.Name);
        Assert.Empty(store.Names);
    }

    [Fact]
    public void Authenticate_ConfiguredKeyWithSurroundingWhitespace_MatchesTrimmedKey()
    {
        // Keys often arrive from secret files with a trailing newline.
        var store = Store(("ci", CiKey + "\n"));

        Assert.Equal("ci", store.Authenticate(CiKey)?.Name);
    }

    [Fact]
    public void Names_SeveralKeys_ListsNamesNotKeys()
    {
        var store = Store(("ci", CiKey), ("billing", BillingKey));

        Assert.Equal(["billing", "ci"], store.Names);
    }

    private static ApiKeyStore Store(params (string Name, string Key)[] keys)
    {
        var options = new ApiKeyOptions();
        foreach (var (name, key) in keys)
        {
            options.Keys[name] = new ConfiguredApiKey { Key = key };
        }

        return new ApiKeyStore(Options.Create(options));
    }
}
