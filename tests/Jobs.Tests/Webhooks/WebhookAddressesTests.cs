using System.Net;
using Dashboard.Jobs.Webhooks;

namespace Dashboard.Jobs.Tests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0/8")]
    [InlineData("0.1.2.3", "0.0.0.0/8")]
    [InlineData("10.0.0.1", "10.0.0.0/8")]
    [InlineData("10.255.255.255", "10.0.0.0/8")]
    [InlineData("100.64.0.1", "100.64.0.0/10")]
    [InlineData("100.127.255.254", "100.64.0.0/10")]
    [InlineData("127.0.0.1", "127.0.0.0/8")]
    [InlineData("127.1.2.3", "127.0.0.0/8")]
    [InlineData("169.254.169.254", "169.254.0.0/16")]
    [InlineData("172.16.0.1", "172.16.0.0/12")]
    [InlineData("172.31.255.255", "172.16.0.0/12")]
    [InlineData("192.0.0.170", "192.0.0.0/24")]
    [InlineData("192.168.1.1", "192.168.0.0/16")]
    [InlineData("198.18.0.1", "198.18.0.0/15")]
    [InlineData("224.0.0.1", "224.0.0.0/4")]
    [InlineData("239.255.255.250", "224.0.0.0/4")]
    [InlineData("240.0.0.1", "240.0.0.0/4")]
    [InlineData("255.255.255.255", "240.0.0.0/4")]
    [InlineData("::", "::/128")]
    [InlineData("::1", "::1/128")]
    [InlineData("fc00::1", "fc00::/7")]
    [InlineData("fd12:3456:789a::1", "fc00::/7")]
    [InlineData("fe80::1", "fe80::/10")]
    [InlineData("febf::1", "fe80::/10")]
    [InlineData("fec0::1", "fec0::/10")]
    [InlineData("ff02::1", "ff00::/8")]
    public void Classify_SpecialPurposeAddress_IsRefusedByItsRange(string address, string range)
    {
        var rule = WebhookAddresses.Classify(IPAddress.Parse(address));

        Assert.NotNull(rule);
        Assert.Equal(range, rule.Network.ToString());
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.0/8")]
    [InlineData("::ffff:10.1.2.3", "10.0.0.0/8")]
    [InlineData("::ffff:169.254.169.254", "169.254.0.0/16")]
    [InlineData("::ffff:192.168.0.1", "192.168.0.0/16")]
    [InlineData("::ffff:100.64.0.1", "100.64.0.0/10")]
    [InlineData("::ffff:0.0.0.0", "0.0.0.0/8")]
    [InlineData("64:ff9b::a9fe:a9fe", "169.254.0.0/16")]
    [InlineData("64:ff9b::7f00:1", "127.0.0.0/8")]
    public void Classify_IPv6FormOfAnIPv4Address_IsJudgedByTheIPv4AddressInside(string address, string range)
    {
        var rule = WebhookAddresses.Classify(IPAddress.Parse(address));

        Assert.NotNull(rule);
        Assert.Equal(range, rule.Network.ToString());
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Classify_PublicAddress_IsNotRefused(string address)
    {
        Assert.Null(WebhookAddresses.Classify(IPAddress.Parse(address)));
    }

    [Fact]
    public void Rule_ToString_NamesWhatItIsAndTheRange()
    {
        Assert.Equal("link-local address (169.254.0.0/16)", WebhookAddresses.Classify(IPAddress.Parse("169.254.169.254"))!.ToString());
    }

    [Fact]
    public void Refusal_OptedInNetwork_AllowsOnlyThatNetwork()
    {
        IPNetwork[] allowed = [IPNetwork.Parse("10.1.2.0/24"), IPNetwork.Parse("127.0.0.0/8")];

        Assert.Null(WebhookAddresses.Refusal(IPAddress.Parse("10.1.2.3"), allowed));
        Assert.Null(WebhookAddresses.Refusal(IPAddress.Parse("127.0.0.1"), allowed));
        // The mapped form is the same destination as the IPv4 address.
        Assert.Null(WebhookAddresses.Refusal(IPAddress.Parse("::ffff:127.0.0.1"), allowed));
        Assert.Equal("10.0.0.0/8", WebhookAddresses.Refusal(IPAddress.Parse("10.1.3.1"), allowed)?.Network.ToString());
        Assert.Equal("::1/128", WebhookAddresses.Refusal(IPAddress.IPv6Loopback, allowed)?.Network.ToString());
        Assert.Equal("169.254.0.0/16", WebhookAddresses.Refusal(IPAddress.Parse("169.254.169.254"), allowed)?.Network.ToString());
    }

    [Fact]
    public void Refusal_PublicAddress_NeedsNoOptIn()
    {
        Assert.Null(WebhookAddresses.Refusal(IPAddress.Parse("8.8.8.8"), []));
    }
}
