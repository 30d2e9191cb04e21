namespace FriendlyChaoyang.Activities;

/// <summary>
/// One activity on a station's calendar, keyed by its id: the single writer of its seats, waitlist, offers, tickets and
/// attendance. Not reentrant: registrations are decided one at a time, in the order the grain receives them.
/// </summary>
[Alias("fc.IActivityGrain")]
public interface IActivityGrain : IGrainWithStringKey
{
    /// <summary>Publishes the activity on its station's calendar. A repeat with the same fingerprint returns the first result.</summary>
    [Alias("Create")]
    Task<CreateActivityResult> CreateAsync(NewActivity activity);

    /// <returns>Null for an id that was never created.</returns>
    [Alias("Get")]
    Task<ActivityView?> GetAsync();

    /// <summary>A seat while there is one, else a place at the end of the waitlist. A repeat answers where the rider stands.</summary>
    [Alias("Register")]
    Task<RegistrationResult> RegisterAsync(string riderId);

    /// <summary>Leaves the seat, offer or waitlist; a freed seat is offered to the first rider waiting.</summary>
    [Alias("Cancel")]
    Task<RegistrationResult> CancelAsync(string riderId);

    /// <summary>Takes the seat on offer. A repeat after accepting answers Registered.</summary>
    [Alias("Accept")]
    Task<RegistrationResult> AcceptAsync(string riderId);

    /// <summary>Where the rider stands (NotRegistered when nowhere).</summary>
    [Alias("GetRegistration")]
    Task<RegistrationResult> GetRegistrationAsync(string riderId);

    /// <summary>Records the ticket holder's attendance once and credits the activity's points once, through the outbox.</summary>
    [Alias("RecordAttendance")]
    Task<AttendanceResult> RecordAttendanceAsync(string ticket);
}

/// <summary>Answers calendar searches by asking the stations (one, or those found nearby) for their own activities. Stateless.</summary>
[Alias("fc.IActivityFinderGrain")]
public interface IActivityFinderGrain : IGrainWithIntegerKey
{
    [Alias("Find")]
    Task<IReadOnlyList<ActivityView>> FindAsync(ActivityQuery query);
}
