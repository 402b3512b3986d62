import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { diffFlows, formatDiffs } from './flows/diff';
import { formatGithub, formatText, lintPaths, summaryOf } from './flows/lint';
import { movedReport } from './flows/moved';
import { pullFlows } from './flows/pull';
import { pushFlows } from './flows/push';
import { connectionOf, withConnectionOptions } from './studio-client';

/** Who is pushing, for the commit message: git's user.name where there is one, else the login. */
function author(): string {
  try {
    const name = execFileSync('git', ['config', 'user.name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name) return name;
  } catch {
    // no git, or no user.name: the login below
  }
  return os.userInfo().username;
}

/** `open-studio flows …`: flows as files in a git repository, through the Studio REST API v2. */
export function flowsCommand(): Command {
  const flows = new Command('flows').description('Flows as code: pull, push, diff and lint flow files in git, through the Studio REST API v2 (ours, or Twilio’s own: pull from Twilio and push here to move an account over)');
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
  flows.addCommand(
    withConnectionOptions(
      new Command('push')
        .description('Push the flow files of --dir: new ones are created, changed ones saved as one new revision each, equal ones left alone; refused when a flow was saved on the server since its pull. A file whose SID the server does not know is a flow moved from another account: created here, with a report of the webhook URLs to set and what differs')
        .option('--dir <dir>', 'the folder of flow files', 'flows')
        .option('--publish', 'publish what is pushed')
        .option('-m, --message <text>', 'the commit message of the new revisions')
        .option('--dry-run', 'print the plan; change nothing'),
    ).action(async (options: { dir: string; publish?: boolean; message?: string; dryRun?: boolean; url: string; accountSid?: string; authToken?: string }) => {
      const actions = await pushFlows(connectionOf(options), { dir: path.resolve(options.dir), author: author(), ...(options.publish ? { publish: true } : {}), ...(options.message ? { message: options.message } : {}), ...(options.dryRun ? { dryRun: true } : {}) });
      for (const a of actions.filter((x) => x.kind !== 'unchanged')) {
        process.stdout.write(a.kind === 'create' ? `  create ${a.file} (${a.name}${a.movedFrom ? `, moved from ${a.movedFrom}` : ''})\n` : a.kind === 'update' ? `  update ${a.file}: ${a.changed.join(', ')} (from revision ${a.from})\n` : '');
      }
      const count = (kind: string) => actions.filter((a) => a.kind === kind).length;
      process.stdout.write(`${options.dryRun ? 'would push' : 'pushed'}: ${count('create')} created, ${count('update')} updated, ${count('unchanged')} unchanged\n`);
      const report = movedReport(path.resolve(options.dir), actions);
      if (report) process.stdout.write(`\n${report}\n`);
    }),
  );
  flows.addCommand(
    withConnectionOptions(
      new Command('diff')
        .description('What changed, widget by widget (the editor’s revision diff): every file of --dir against the server, one file against the server, or two sides — each a file, FW… (the current revision) or FW…@N')
        .argument('[a]', 'the left side (with no b: a flow file, compared with the server)')
        .argument('[b]', 'the right side')
        .option('--dir <dir>', 'the folder of flow files (with no sides)', 'flows')
        .option('--json', 'print the summaries as JSON')
        .option('--exit-code', 'exit with status 1 when something differs, as git diff --exit-code'),
    ).action(async (a: string | undefined, b: string | undefined, options: { dir: string; json?: boolean; exitCode?: boolean; url: string; accountSid?: string; authToken?: string }) => {
      const diffs = await diffFlows(() => connectionOf(options), { dir: path.resolve(options.dir), sides: [a, b].filter((s): s is string => s !== undefined) });
      const differing = diffs.filter((d) => !d.summary.same || d.lines.length > 0);
      if (options.json) process.stdout.write(`${JSON.stringify(differing.map((d) => ({ left: d.left.label, right: d.right.label, summary: d.summary, lines: d.lines.map((l) => l.text) })), null, 2)}\n`);
      else if (differing.length > 0) process.stdout.write(`${formatDiffs(differing)}\n`);
      if (options.exitCode && differing.length > 0) process.exitCode = 1;
    }),
  );
  flows.addCommand(
    new Command('lint')
      .description('Validate flow files with no server: the server’s validator (errors block publishing) and the rules Studio lacks (warnings); exits 1 on errors')
      .argument('[paths...]', 'flow files or folders of them (flow files of flows pull, or bare Studio exports)', ['flows'])
      .addOption(new Option('--format <format>', 'text, github (annotations of GitHub Actions) or json').choices(['text', 'github', 'json']).default('text'))
      .option('--max-warnings <n>', 'also exit 1 past this many warnings', (v) => Number.parseInt(v, 10))
      .action((paths: string[], options: { format: 'text' | 'github' | 'json'; maxWarnings?: number }) => {
        const report = lintPaths(paths);
        if (options.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else {
          const printed = options.format === 'github' ? formatGithub(report) : formatText(report);
          if (printed) process.stdout.write(`${printed}\n`);
          process.stderr.write(`${summaryOf(report)}\n`);
        }
        const errors = report.findings.filter((f) => f.severity === 'error').length;
        const warnings = report.findings.length - errors;
        if (errors > 0 || (options.maxWarnings !== undefined && warnings > options.maxWarnings)) process.exitCode = 1;
      }),
  );
  return flows;
}
