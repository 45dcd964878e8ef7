using Microsoft.Extensions.FileProviders;

namespace Mixnet.Directory.Server.Hosting;

/// <summary>Serves the dashboard page from resources embedded in the server assembly.</summary>
internal static class DashboardExtensions
{
    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardExtensions).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";

                // Only our own assets; a node's location text can never become script.
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            },
        });
        return app;
    }
}
