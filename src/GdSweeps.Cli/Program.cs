using System.Runtime;
using GdSweeps.Cli;

// Start-up is part of every sweep's wall time: record which methods get compiled, and on later runs compile
// them ahead on a spare core while the first one works (the profile lives beside the binary; if it cannot be
// written, this does nothing).
ProfileOptimization.SetProfileRoot(AppContext.BaseDirectory);
ProfileOptimization.StartProfile("gdsweeps.jitprofile");

return await Cli.MainAsync(args);
