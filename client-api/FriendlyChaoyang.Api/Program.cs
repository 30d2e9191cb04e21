using FriendlyChaoyang.Api.Hosting;

ApiApp.Build(args).Run();

/// <summary>The API's entry point (tests build the app through <see cref="ApiApp"/>).</summary>
public partial class Program;
