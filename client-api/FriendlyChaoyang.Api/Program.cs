using FriendlyChaoyang.Api.Catalog;
using FriendlyChaoyang.Api.Hosting;
using FriendlyChaoyang.Api.Issues;
using FriendlyChaoyang.Api.Issues.Photos;
using FriendlyChaoyang.Api.Notifications;
using FriendlyChaoyang.Api.Points;
using FriendlyChaoyang.Api.Riders;
using FriendlyChaoyang.Api.Stations;

var builder = WebApplication.CreateBuilder(args);
builder.AddFriendlyChaoyangApi();
builder.AddPhotoStore();

var app = builder.Build();
app.MapFriendlyChaoyangInfrastructure();
app.MapCatalogApi();
app.MapStationsApi();
app.MapRidersApi();
app.MapIssuesApi();
app.MapNotificationsApi();
app.MapPointsApi();
app.Run();

/// <summary>Reachable from WebApplicationFactory in the API tests.</summary>
public partial class Program;
