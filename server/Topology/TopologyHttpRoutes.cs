using System.Globalization;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Keys;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Registry;

namespace Mixnet.Directory.Server.Topology;

/// <summary>
/// The cacheable HTTP face of the topology: the signed snapshot at an unversioned URL (short
/// max-age) and at immutable versioned URLs, a decoded view for people, and one node's view.
/// Every body carries a strong ETag per version, so an HTTP cache or CDN revalidates with a 304
/// and the directory sends one full body per version per cache.
/// </summary>
internal sealed class TopologyHttpRoutes(
    TopologyPublisher publisher,
    DirectorySigningKey key,
    ClientRateLimiter limiter,
    TopologyHttpStats stats,
    IOptions<TopologyHttpOptions> options,
    ILogger<TopologyHttpRoutes> logger)
{
    private const string ProtobufType = "application/x-protobuf";
    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    private readonly string _shortCache = $"public, max-age={Seconds(options.Value.TopologyMaxAge)}";
    private readonly string _immutableCache = $"public, max-age={Seconds(options.Value.TopologyVersionedMaxAge)}, immutable";

    /// <summary><c>GET /v1/topology</c>: the latest signed snapshot (or <c>?view=decoded</c>).</summary>
    public Task Latest(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.TryGetValue("view", out var view))
        {
            return view.ToString() == "decoded"
                ? Decoded(context)
                : Refuse(context, StatusCodes.Status400BadRequest, "view", "must be \"decoded\" (or left out for the signed snapshot)");
        }

        ulong? known = null;
        var knownText = query.TryGetValue("knownVersion", out var camel) ? camel : query["known_version"];
        if (!string.IsNullOrEmpty(knownText))
        {
            if (knownText.Count != 1 || !ulong.TryParse(knownText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Refuse(context, StatusCodes.Status400BadRequest, "knownVersion", "must be one unsigned integer");
            }

            known = parsed;
        }

        if (IsLimited(context, out var refusal))
        {
            return refusal;
        }

        var current = publisher.Latest();
        var headers = context.Response.Headers;
        headers.ContentLocation = VersionPath(current.Version);
        headers.Link = $"<{VersionPath(current.Version)}>; rel=\"canonical\"";
        if (known is { } k && k != 0 && k == current.Version)
        {
            // Same answer as the gRPC call: an empty response means "yours is current".
            var protobuf = HttpRepresentation.WantsProtobuf(context);
            return Send(context, Tag(current.Version, protobuf ? ".same.pb" : ".same"), _shortCache, protobuf ? ProtobufType : HttpRepresentation.JsonType, () => protobuf ? [] : EmptyJson, countsAsFull: false);
        }

        return SendSnapshot(context, current, _shortCache);
    }

    /// <summary><c>GET /v1/topology/{version}</c>: one retained version, immutable.</summary>
    public Task Versioned(HttpContext context)
    {
        var text = context.Request.RouteValues["version"] as string;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return Refuse(context, StatusCodes.Status400BadRequest, "version", "must be an unsigned integer, e.g. /v1/topology/42 (or /v1/topology/view)");
        }

        if (IsLimited(context, out var refusal))
        {
            return refusal;
        }

        // Latest() first: a version acknowledged to a writer but not yet published is published now.
        var latest = publisher.Latest();
        if (publisher.History.TryGet(version, out var published))
        {
            return SendSnapshot(context, published, _immutableCache);
        }

        context.Response.Headers.Link = $"<{VersionPath(latest.Version)}>; rel=\"latest-version\"";
        return version > latest.Version
            ? Refuse(context, StatusCodes.Status404NotFound, "version", $"version {version} is not published yet; the latest is {latest.Version} at {VersionPath(latest.Version)}")
            : Refuse(context, StatusCodes.Status410Gone, "version", $"version {version} is no longer kept (the directory keeps the last {PublishedHistory.Capacity}); the latest is {latest.Version} at {VersionPath(latest.Version)}", _shortCache);
    }

    /// <summary><c>GET /v1/topology/view</c>: the latest snapshot decoded for people.</summary>
    public Task Decoded(HttpContext context)
    {
        if (IsLimited(context, out var refusal))
        {
            return refusal;
        }

        var current = publisher.Latest();
        var bodies = TopologyRepresentations.Of(current, key.PublicKey);
        context.Response.Headers.Link = $"<{VersionPath(current.Version)}>; rel=\"alternate\"";
        return Send(context, Tag(current.Version, string.Empty), _shortCache, HttpRepresentation.JsonType, () => bodies.DecodedBody, countsAsFull: true);
    }

    /// <summary><c>GET /v1/nodes/{id}</c>: one node of the latest topology, id in hex or base64.</summary>
    public Task Node(HttpContext context)
    {
        var text = context.Request.RouteValues["id"] as string;
        if (!NodeIdText.TryParse(text, out var raw, out var error) || !NodeId.TryRead(raw, out var id))
        {
            return Refuse(context, StatusCodes.Status400BadRequest, "id", error.Length > 0 ? error : "is not a valid identity key");
        }

        if (IsLimited(context, out var refusal))
        {
            return refusal;
        }

        var current = publisher.Latest();
        if (!current.State.Nodes.TryGetValue(id, out var record))
        {
            return Refuse(context, StatusCodes.Status404NotFound, "id", $"no node {Convert.ToHexStringLower(raw)} in topology version {current.Version}", _shortCache);
        }

        context.Response.Headers.Link = $"<{VersionPath(current.Version)}>; rel=\"alternate\"";
        return Send(context, Tag(current.Version, string.Empty), _shortCache, HttpRepresentation.JsonType, () => TopologyJsonView.Node(record.DescriptorBytes, record.RegisteredAt, current.Version), countsAsFull: false);
    }

    private Task SendSnapshot(HttpContext context, PublishedTopology published, string cacheControl)
    {
        var bodies = TopologyRepresentations.Of(published, key.PublicKey);
        var protobuf = HttpRepresentation.WantsProtobuf(context);
        return protobuf
            ? Send(context, Tag(published.Version, ".pb"), cacheControl, ProtobufType, () => bodies.ProtobufBody, countsAsFull: true)
            : Send(context, Tag(published.Version, string.Empty), cacheControl, HttpRepresentation.JsonType, () => bodies.JsonBody, countsAsFull: true);
    }

    private async Task Send(HttpContext context, string etag, string cacheControl, string contentType, Func<byte[]> body, bool countsAsFull)
    {
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = cacheControl;
        response.Headers.Vary = "Accept";
        if (HttpRepresentation.Matches(context.Request, etag))
        {
            stats.CountNotModified();
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var bytes = body();
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        if (countsAsFull)
        {
            stats.CountFull();
        }

        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>A 400 naming a query parameter, in the same shape as every refusal here.</summary>
    public Task RefuseParameter(HttpContext context, string name, string message) =>
        Refuse(context, StatusCodes.Status400BadRequest, name, message);

    private bool IsLimited(HttpContext context, out Task refusal)
    {
        if (limiter.TryTopology(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            refusal = Task.CompletedTask;
            return false;
        }

        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        refusal = Refuse(context, StatusCodes.Status429TooManyRequests, string.Empty, "too many topology requests from this address; honour Cache-Control and send If-None-Match");
        return true;
    }

    private Task Refuse(HttpContext context, int status, string field, string message, string cacheControl = "no-store")
    {
        TopologyHttpLog.Refused(logger, context.Request.Path.Value ?? string.Empty, status, field.Length > 0 ? $"{field} {message}" : message);
        return HttpRepresentation.WriteRefusal(context, status, field, message, cacheControl);
    }



    private static string Tag(ulong version, string variant) => $"\"v{version.ToString(CultureInfo.InvariantCulture)}{variant}\"";

    private static string VersionPath(ulong version) => $"/v1/topology/{version.ToString(CultureInfo.InvariantCulture)}";

    private static long Seconds(TimeSpan span) => (long)Math.Max(0, span.TotalSeconds);
}
