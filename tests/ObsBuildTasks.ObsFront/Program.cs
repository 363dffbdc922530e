using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using ObsBuildTasks.ObsFront;

// The OBS-protocol front of the local test store; eng/object-store.sh builds, configures and starts it.
FrontOptions options;
try
{
    options = FrontOptions.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (InvalidOperationException exception)
{
    await Console.Error.WriteLineAsync("obs-front: " + exception.Message).ConfigureAwait(false);
    return 2;
}

var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
builder.WebHost.UseKestrelCore().UseShutdownTimeout(TimeSpan.FromSeconds(3)).ConfigureKestrel(kestrel =>
{
    kestrel.ListenLocalhost(options.Endpoint.Port);
    kestrel.AddServerHeader = false;
    // Parts can be gigabytes and the store sets the pace: no body size limit, no minimum data rate.
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.Limits.MinRequestBodyDataRate = null;
    kestrel.Limits.MinResponseDataRate = null;
    // Header values as the client signed them (UTF-8), and back byte for byte.
    kestrel.RequestHeaderEncodingSelector = _ => Encoding.UTF8;
    kestrel.ResponseHeaderEncodingSelector = _ => Encoding.Latin1;
});
await using var app = builder.Build();
using var front = new ObsFront(options, Console.Out, TimeProvider.System);
app.Run(front.HandleAsync);
await app.StartAsync().ConfigureAwait(false);
// The first line of output says it listens (tests wait for it).
await Console.Out.WriteLineAsync($"obs-front: listening at {options.Endpoint} (loopback port {options.Endpoint.Port}), forwarding to {options.Store.Endpoint}, {options.Credentials.Count} access keys").ConfigureAwait(false);
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
