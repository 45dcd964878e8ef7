using Microsoft.Extensions.Options;
using Mixnet.Directory.Server.Hosting;

namespace Mixnet.Directory.Server.Authorities;

/// <summary>Adds the authority concern only when <c>Directory:Authorities</c> is configured.</summary>
internal static class AuthorityRegistration
{
    public static void AddDirectoryAuthorities(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthorityOptions>().BindConfiguration(DirectoryOptions.SectionName);
        services.AddSingleton<ConsensusHttpRoutes>();
        var configured = builder.Configuration.GetSection(DirectoryOptions.SectionName + ":Authorities").GetChildren().Any();
        if (!configured)
        {
            return;
        }

        var maxVoteBytes = builder.Configuration.GetSection(DirectoryOptions.SectionName).Get<AuthorityOptions>()?.MaxVoteBytes ?? new AuthorityOptions().MaxVoteBytes;
        services.AddSingleton<AuthoritySet>();
        services.AddSingleton<ConsensusAuthority>();
        services.AddSingleton<AuthorityPeers>();
        services.AddSingleton<AuthorityInstruments>();
        services.AddSingleton<AuthorityCallers>();
        services.AddHostedService<AuthorityEpochLoop>();
        services.AddGrpc().AddServiceOptions<AuthorityGrpcService>(o => o.MaxReceiveMessageSize = maxVoteBytes);
    }

    public static void MapDirectoryAuthorities(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthorityOptions>>().Value.Enabled)
        {
            // Runs after routing and before the endpoint: the body is still unread here.
            app.UseMiddleware<AuthorityCallGate>();
            app.MapGrpcService<AuthorityGrpcService>();
        }

        // Mapped either way, so a directory that is not an authority says so on /v1/consensus.
        app.Services.GetRequiredService<ConsensusHttpRoutes>().Map(app);
    }
}
