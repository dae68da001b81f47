using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;

namespace Dashboard.Jobs.Webhooks;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: it resolves the target's name itself,
/// vets every address with <see cref="WebhookAddresses"/>, and opens the socket to a vetted address only. Checking the
/// URL before sending would not do: DNS can answer differently a moment later (rebinding), and a name can point
/// anywhere. Here the address checked is the address connected to.
/// </summary>
public sealed class WebhookConnector(IOptions<WebhookOptions> options)
{
    private readonly IReadOnlyList<IPNetwork> _allowed = options.Value.AllowedPrivateNetworks();

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken);
        var vetted = new List<IPAddress>(addresses.Length);
        (IPAddress Address, WebhookAddresses.Rule Rule)? firstRefused = null;
        foreach (var address in addresses)
        {
            if (WebhookAddresses.Refusal(address, _allowed) is { } rule)
            {
                firstRefused ??= (address, rule);
            }
            else
            {
                vetted.Add(address);
            }
        }

        if (vetted.Count == 0)
        {
            throw new WebhookTargetRefusedException(RefusalReason(endpoint.Host, firstRefused));
        }

        // Each vetted address in the order DNS gave them, like the handler's own connect; the last error stands for all.
        Exception? last = null;
        foreach (var vettedAddress in vetted)
        {
            // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (and was judged as such); an IPv4 socket needs no dual mode.
            var address = vettedAddress.IsIPv4MappedToIPv6 ? vettedAddress.MapToIPv4() : vettedAddress;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        ExceptionDispatchInfo.Throw(last!);
        return null!;
    }

    internal static string RefusalReason(string host, (IPAddress Address, WebhookAddresses.Rule Rule)? refused)
    {
        const string Hint = "allow it with Dashboard:Webhooks:AllowPrivateNetworks";
        if (refused is not { } r)
        {
            return $"webhook target {host} refused: it resolves to no address";
        }

        return IPAddress.TryParse(Unbracket(host), out _)
            ? $"webhook target {host} refused: {r.Rule}; {Hint}"
            : $"webhook target {host} refused: it resolves to {r.Address}, {r.Rule}; {Hint}";
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var bare = Unbracket(host);
        if (IPAddress.TryParse(bare, out var literal))
        {
            return [literal];
        }

        // A name that does not resolve throws SocketException, which the handler reports as a name resolution error:
        // retryable, as with the handler's own connect.
        return await Dns.GetHostAddressesAsync(bare, cancellationToken);
    }

    private static string Unbracket(string host) =>
        host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}

/// <summary>
/// A webhook target whose every address is in a refused range (<see cref="WebhookAddresses"/>): not connected to,
/// nothing sent, and not retried, because DNS and configuration do not change by waiting.
/// </summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
