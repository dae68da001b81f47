using System.Net;
using System.Net.Sockets;

namespace Dashboard.Jobs.Webhooks;

/// <summary>
/// Which IP addresses a webhook may connect to. Anyone with an API key or the Operator role chooses the URL, so
/// without this a delivery is a request from inside the network to wherever they like: the cloud metadata service,
/// a database's HTTP port, an admin page on loopback. The check runs on the address actually connected to (see
/// <see cref="WebhookConnector"/>), after DNS, so a public-looking name that resolves to 10.0.0.5 is refused too.
/// </summary>
public static class WebhookAddresses
{
    /// <summary>One refused range: the network and what it is, for the failure reason.</summary>
    public sealed record Rule(IPNetwork Network, string Description)
    {
        public override string ToString() => $"{Description} ({Network})";
    }

    // Special-purpose ranges of the IANA IPv4 and IPv6 registries that are not the public internet. Public unicast
    // is everything else.
    private static readonly Rule[] IPv4Rules =
    [
        new(IPNetwork.Parse("0.0.0.0/8"), "\"this network\" address"),
        new(IPNetwork.Parse("10.0.0.0/8"), "private address"),
        new(IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT address"),
        new(IPNetwork.Parse("127.0.0.0/8"), "loopback address"),
        new(IPNetwork.Parse("169.254.0.0/16"), "link-local address"),
        new(IPNetwork.Parse("172.16.0.0/12"), "private address"),
        new(IPNetwork.Parse("192.0.0.0/24"), "IETF protocol address"),
        new(IPNetwork.Parse("192.168.0.0/16"), "private address"),
        new(IPNetwork.Parse("198.18.0.0/15"), "benchmarking address"),
        new(IPNetwork.Parse("224.0.0.0/4"), "multicast address"),
        // Includes the limited broadcast address 255.255.255.255.
        new(IPNetwork.Parse("240.0.0.0/4"), "reserved or broadcast address"),
    ];

    private static readonly Rule[] IPv6Rules =
    [
        new(IPNetwork.Parse("::/128"), "unspecified address"),
        new(IPNetwork.Parse("::1/128"), "loopback address"),
        new(IPNetwork.Parse("fc00::/7"), "unique local address"),
        new(IPNetwork.Parse("fe80::/10"), "link-local address"),
        new(IPNetwork.Parse("fec0::/10"), "site-local address"),
        new(IPNetwork.Parse("ff00::/8"), "multicast address"),
    ];

    // IPv6 forms that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped (::ffff:a.b.c.d, what a
    // dual-mode socket connects to as IPv4) and the NAT64 well-known prefix (64:ff9b::a.b.c.d, translated to IPv4 by
    // the network). They are judged by the IPv4 address inside.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>
    /// The rule that refuses <paramref name="address"/>, or null for a public address. Operator opt-ins
    /// (<c>AllowPrivateNetworks</c>) are not applied here; see <see cref="Refusal"/>.
    /// </summary>
    public static Rule? Classify(IPAddress address)
    {
        var effective = Embedded(address) ?? address;
        var rules = effective.AddressFamily == AddressFamily.InterNetwork ? IPv4Rules : IPv6Rules;
        foreach (var rule in rules)
        {
            if (rule.Network.Contains(effective))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="address"/> may be connected to: public, or inside one of the
    /// <paramref name="allowed"/> networks (the operator's opt-in); otherwise the rule that refuses it.
    /// </summary>
    public static Rule? Refusal(IPAddress address, IReadOnlyList<IPNetwork> allowed)
    {
        if (Classify(address) is not { } rule)
        {
            return null;
        }

        var embedded = Embedded(address);
        foreach (var network in allowed)
        {
            // 127.0.0.0/8 also allows ::ffff:127.0.0.1: it is the same destination.
            if (network.Contains(address) || (embedded is not null && network.Contains(embedded)))
            {
                return null;
            }
        }

        return rule;
    }

    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return null;
    }
}
