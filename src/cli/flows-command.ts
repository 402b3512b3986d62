import path from 'node:path';
import { Command } from 'commander';
import { pullFlows } from './flows/pull';
import { connectionOf, withConnectionOptions } from './studio-client';

/** `open-studio flows …`: flows as files in a git repository, through the Studio REST API v2. */
export function flowsCommand(): Command {
  const flows = new Command('flows').description('Flows as code: pull them into files, through the Studio REST API v2 (ours, or Twilio’s own)');
  flows.addCommand(
    withConnectionOptions(
      new Command('pull')
        .description('Write every flow of the account (or --flow ones) to a file of its own in --dir, with its test users; a file keeps its name across renames (the SID inside)')
        .option('--dir <dir>', 'the folder of flow files', 'flows')
        .option('--flow <sid...>', 'only these flows (FW…)')
        .option('--no-progress', 'no progress line (it is shown only on a terminal anyway)'),
    ).action(async (options: { dir: string; flow?: string[]; progress: boolean; url: string; accountSid?: string; authToken?: string }) => {
      const progress = options.progress && process.stderr.isTTY ? (done: number, total: number, name: string) => process.stderr.write(`\r\x1b[2K[${done}/${total}] ${name}`) : undefined;
      const report = await pullFlows(connectionOf(options), { dir: path.resolve(options.dir), ...(options.flow ? { flows: options.flow } : {}), ...(progress ? { progress } : {}) });
      if (progress) process.stderr.write('\r\x1b[2K');
      process.stdout.write(`${report.written.length + report.unchanged.length} flows pulled into ${options.dir}: ${report.written.length} written, ${report.unchanged.length} unchanged\n`);
      for (const name of report.written) process.stdout.write(`  ${name}\n`);
    }),
  );
  return flows;
}
