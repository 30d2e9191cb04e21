using FriendlyChaoyang.Api.Activities;
using FriendlyChaoyang.Api.Admin;
using FriendlyChaoyang.Api.Books;
using FriendlyChaoyang.Api.Catalog;
using FriendlyChaoyang.Api.Commendations;
using FriendlyChaoyang.Api.Console;
using FriendlyChaoyang.Api.Courses;
using FriendlyChaoyang.Api.Escalation;
using FriendlyChaoyang.Api.Housing;
using FriendlyChaoyang.Api.Growth;
using FriendlyChaoyang.Api.Issues;
using FriendlyChaoyang.Api.Issues.Photos;
using FriendlyChaoyang.Api.Notifications;
using FriendlyChaoyang.Api.Open311;
using FriendlyChaoyang.Api.Points;
using FriendlyChaoyang.Api.Polls;
using FriendlyChaoyang.Api.Ports;
using FriendlyChaoyang.Api.Riders;
using FriendlyChaoyang.Api.Stations;
using FriendlyChaoyang.Api.Wishes;

namespace FriendlyChaoyang.Api.Hosting;

/// <summary>The whole REST facade, built in one place so Program.cs and the API tests run the same wiring.</summary>
public static class ApiApp
{
    /// <param name="configure">Runs before anything reads configuration (tests add their settings and a TestServer here).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddFriendlyChaoyangApi();
        builder.AddPhotoStore();
        builder.AddOpen311();
        builder.Services.AddNearbySearch();

        var app = builder.Build();
        app.MapFriendlyChaoyangInfrastructure();
        app.MapCatalogApi();
        app.MapStationsApi();
        app.MapRidersApi();
        app.MapIssuesApi();
        app.MapNotificationsApi();
        app.MapEscalationApi();
        app.MapPointsApi();
        app.MapAdminApi();
        app.MapManagersApi();
        app.MapActivitiesApi();
        app.MapPollsApi();
        app.MapBooksApi();
        app.MapHousingApi();
        app.MapCoursesApi();
        app.MapGrowthApi();
        app.MapWishesApi();
        app.MapCommendationsApi();
        app.MapPortsApi();
        app.MapOpen311Api();
        app.MapConsole();
        return app;
    }
}
