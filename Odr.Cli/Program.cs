return Odr.Cli.CliApp.Run(args, Console.Out, Console.Error);
