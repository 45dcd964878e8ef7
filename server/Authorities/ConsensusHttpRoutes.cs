using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Limits;
using Mixnet.Directory.Server.Topology;
using Mixnet.Directory.V1;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>
/// The cacheable HTTP face of the consensus, like the topology's: <c>GET /v1/consensus</c> (the
/// <see cref="GetConsensusResponse"/> as JSON, or binary protobuf on <c>Accept:
/// application/x-protobuf</c>), <c>GET /v1/consensus/view</c> (decoded for people) and
/// <c>GET /v1/consensus/status</c> (epoch, signers, failed epochs: what a dashboard shows). Bodies
/// carry a strong ETag, so If-None-Match gets a 304. Every route takes a topology token of the
/// caller's address (the same per-IP limit as the topology routes). A directory that is not an
/// authority answers 404 naming the setting; an authority without a consensus yet answers 503
/// with Retry-After.
/// </summary>
internal sealed class ConsensusHttpRoutes(
    IServiceProvider services,
    ClientRateLimiter limiter,
    TimeProvider time,
    IOptions<TopologyHttpOptions> options,
    ILogger<ConsensusHttpRoutes> logger)
{
    private const string ProtobufType = "application/x-protobuf";
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    private readonly ConsensusAuthority? _authority = services.GetService<ConsensusAuthority>();
    private readonly AuthorityInstruments? _instruments = services.GetService<AuthorityInstruments>();
    private readonly string _cache = $"public, max-age={(long)Math.Max(0, options.Value.TopologyMaxAge.TotalSeconds)}";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        // Order -1 wins over the transcoded GET /v1/consensus (same JSON, but no ETag, no protobuf).
        endpoints.MapMethods("/v1/consensus", GetOrHead, Latest).WithOrder(-1).ExcludeFromDescription();
        endpoints.MapMethods("/v1/consensus/view", GetOrHead, Decoded).ExcludeFromDescription();
        endpoints.MapMethods("/v1/consensus/status", GetOrHead, Status).ExcludeFromDescription();
    }

    /// <summary><c>GET /v1/consensus</c>: the served consensus (or <c>?view=decoded</c>).</summary>
    public Task Latest(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.TryGetValue("view", out var view))
        {
            return view.ToString() == "decoded"
                ? Decoded(context)
                : Refuse(context, StatusCodes.Status400BadRequest, "view", "must be \"decoded\" (or left out for the signed consensus)");
        }

        ulong? known = null;
        var knownText = query.TryGetValue("knownEpoch", out var camel) ? camel : query["known_epoch"];
        if (!string.IsNullOrEmpty(knownText))
        {
            if (knownText.Count != 1 || !ulong.TryParse(knownText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Refuse(context, StatusCodes.Status400BadRequest, "knownEpoch", "must be one unsigned integer");
            }

            known = parsed;
        }

        if (!TryCurrent(context, out var current, out var refusal))
        {
            return refusal;
        }

        var bodies = ConsensusRepresentations.Of(current, _authority!.Set);
        var protobuf = HttpRepresentation.WantsProtobuf(context);
        if (known is { } k && k != 0 && k == bodies.Epoch)
        {
            // Same answer as the gRPC call: an empty response means "yours is current".
            return Send(context, $"\"{bodies.Tag}.same{(protobuf ? ".pb" : string.Empty)}\"", protobuf ? ProtobufType : HttpRepresentation.JsonType, () => protobuf ? [] : "{}"u8.ToArray());
        }

        return protobuf
            ? Send(context, $"\"{bodies.Tag}.pb\"", ProtobufType, () => bodies.ProtobufBody)
            : Send(context, $"\"{bodies.Tag}\"", HttpRepresentation.JsonType, () => bodies.JsonBody);
    }

    /// <summary><c>GET /v1/consensus/view</c>: the served consensus decoded for people.</summary>
    public Task Decoded(HttpContext context)
    {
        if (!TryCurrent(context, out var current, out var refusal))
        {
            return refusal;
        }

        var bodies = ConsensusRepresentations.Of(current, _authority!.Set);
        return Send(context, $"\"{bodies.Tag}.view\"", HttpRepresentation.JsonType, () => bodies.DecodedBody);
    }

    /// <summary>
    /// <c>GET /v1/consensus/status</c>: this authority, the served epoch and its signers, and the
    /// epochs that ended without a consensus (also <c>mixnet.directory.consensus.failed</c> in Prometheus).
    /// </summary>
    public Task Status(HttpContext context)
    {
        if (!TryAuthority(context, out var authority, out var refusal))
        {
            return refusal;
        }

        var current = authority.Current;
        var now = time.GetUtcNow();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("authority", authority.Set.Self.Name);
            json.WriteNumber("authorities", authority.Set.Count);
            json.WriteNumber("threshold", authority.Set.Threshold);
            json.WriteNumber("epoch_now", authority.Clock.EpochAt(now));
            json.WriteString("epoch_length", authority.Clock.Length.ToString("c", CultureInfo.InvariantCulture));
            if (current is not null)
            {
                json.WriteNumber("consensus_epoch", authority.CurrentEpoch);
                json.WriteStartArray("signers");
                foreach (var signature in current.Signatures)
                {
                    json.WriteStringValue(authority.Set.NameOf(signature.AuthorityKey.Span));
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("consensus_epoch");
            }

            json.WriteNumber("failed_epochs", _instruments?.FailedEpochs ?? 0);
            if (_instruments?.LastFailure is { } failure)
            {
                json.WriteStartObject("last_failure");
                json.WriteNumber("epoch", failure.Epoch);
                json.WriteString("reason", failure.Reason);
                json.WriteString("at", failure.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("last_failure");
            }

            json.WriteEndObject();
        }

        var bytes = buffer.ToArray();
        var response = context.Response;
        response.Headers.CacheControl = "no-cache";
        response.ContentType = HttpRepresentation.JsonType;
        response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private bool TryAuthority(HttpContext context, out ConsensusAuthority authority, out Task refusal)
    {
        authority = _authority!;
        if (!limiter.TryTopology(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            refusal = Refuse(context, StatusCodes.Status429TooManyRequests, string.Empty, "too many consensus requests from this address; honour Cache-Control and send If-None-Match");
            return false;
        }

        if (_authority is null)
        {
            refusal = Refuse(context, StatusCodes.Status404NotFound, string.Empty, "this directory is not a directory authority (Directory:Authorities is not configured): it serves no consensus; ask an authority, or use /v1/topology");
            return false;
        }

        refusal = Task.CompletedTask;
        return true;
    }

    private bool TryCurrent(HttpContext context, out SignedConsensus current, out Task refusal)
    {
        current = null!;
        if (!TryAuthority(context, out var authority, out refusal))
        {
            return false;
        }

        if (authority.Current is { } held)
        {
            current = held;
            return true;
        }

        // The next try worth making is at the next epoch's signature deadline.
        var now = time.GetUtcNow();
        var next = authority.Clock.SignatureDeadline(authority.Clock.EpochAt(now));
        if (next <= now)
        {
            next = authority.Clock.SignatureDeadline(authority.Clock.EpochAt(now) + 1);
        }

        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling((next - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        refusal = Refuse(context, StatusCodes.Status503ServiceUnavailable, string.Empty, "no consensus signed by enough authorities is held yet; retry, or ask another authority (see /v1/consensus/status)");
        return false;
    }

    private async Task Send(HttpContext context, string etag, string contentType, Func<byte[]> body)
    {
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = _cache;
        response.Headers.Vary = "Accept";
        if (HttpRepresentation.Matches(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var bytes = body();
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    private Task Refuse(HttpContext context, int status, string field, string message)
    {
        TopologyHttpLog.Refused(logger, context.Request.Path.Value ?? string.Empty, status, field.Length > 0 ? $"{field} {message}" : message);
        return HttpRepresentation.WriteRefusal(context, status, field, message, "no-store");
    }


}
