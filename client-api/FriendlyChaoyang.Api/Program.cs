using FriendlyChaoyang.Api.Catalog;
using FriendlyChaoyang.Api.Hosting;
using FriendlyChaoyang.Api.Riders;
using FriendlyChaoyang.Api.Stations;

var builder = WebApplication.CreateBuilder(args);
builder.AddFriendlyChaoyangApi();

var app = builder.Build();
app.MapFriendlyChaoyangInfrastructure();
app.MapCatalogApi();
app.MapStationsApi();
app.MapRidersApi();
app.Run();

/// <summary>Reachable from WebApplicationFactory in the API tests.</summary>
public partial class Program;
