using FriendlyChaoyang.Api.Hosting;

ApiApp.Build(args).Run();
