using FriendlyChaoyang.Api.Auth;
using FriendlyChaoyang.Api.Notifications;
using FriendlyChaoyang.Issues;
using FriendlyChaoyang.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FriendlyChaoyang.Api.Escalation;

/// <summary>
/// Escalation: alerts for a subdistrict's operators (an issue past its response or resolve target), stored and streamed
/// like riders' notifications, and the admin's district-wide queue of issues past their resolve target.
/// </summary>
public static class EscalationApi
{
    public static IEndpointRouteBuilder MapEscalationApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/operator/notifications").WithTags("Escalation").RequireAuthorization(Policies.Operator)
            .MapNotificationRoutes(user => OperatorAlerts.KeyOf(user.Subdistrict()!), "OperatorNotifications",
                $"the alerts for the operator's subdistrict (kind '{OperatorAlerts.OverdueResponse}': an issue past its response " +
                $"target; '{OperatorAlerts.OverdueResolve}': past its resolve target, escalated to the district)");
        app.MapGet("/api/v1/admin/overdue", ListOverdueAsync).WithTags("Escalation").RequireAuthorization(Policies.Admin)
            .WithName("listOverdueIssues")
            .WithSummary("Issues past their resolve target, district-wide.")
            .WithDescription("Every open issue past its resolve target (dueResolveAt = reportedAt + its category's resolveHours), most " +
                "overdue first. An issue joins within a reminder tick of its target and leaves when it is resolved or rejected.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<OverdueIssue>>> ListOverdueAsync(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IOverdueIssuesGrain>(IOverdueIssuesGrain.Key).ListAsync());
}
