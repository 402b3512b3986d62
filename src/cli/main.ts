import { Command } from 'commander';
import { packageVersion } from '../config/paths';
import { flowsCommand } from './flows-command';
import { campaignCommand } from './campaign-command';
import { testCommand } from './test-command';

/**
 * `open-studio`: the command line program this package ships (`npx open-studio …`). Each command
 * lives in its own file; this one only names them.
 */
export function program(): Command {
  return new Command('open-studio')
    .description('An open, self-hostable Twilio Studio: command line tools for flows')
    .version(packageVersion())
    .showHelpAfterError()
    .addCommand(testCommand())
    .addCommand(flowsCommand())
    .addCommand(campaignCommand());
}

if (require.main === module) {
  program()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`open-studio: ${(err as Error).message}\n`);
      process.exitCode = 2;
    });
}
