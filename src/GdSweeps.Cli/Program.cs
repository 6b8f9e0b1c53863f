using GdSweeps.Cli;

return await Cli.MainAsync(args);
