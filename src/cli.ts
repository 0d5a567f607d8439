#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import type { CommandContext } from './commands/context.js';
import { LabError } from './errors.js';
import { PACKAGE_ROOT, resolvePaths } from './paths.js';
import { consoleOutput } from './ui/output.js';
import { StateStore } from './workspace/state.js';

/** The version users report: the package's own. */
function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The `lab check --json` contract version, without loading the grader at start-up. */
const REPORT_VERSION = 1;

// `lab hint month1 05 | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const program = new Command();
program
  .name('lab')
  .version(packageVersion(), '-V, --version', 'print the version of lab')
  .description('Hands-on data engineering labs: real engines, seeded data, graded exercises.\nStart with `lab doctor`, then `lab up month1`.')
  .option('--workspace <dir>', 'where your exercise files live (default ./workspace, or LAB_WORKSPACE)')
  .option('--debug', 'print stack traces for unexpected errors')
  .showHelpAfterError('(run `lab --help` for the list of commands)');

function context(quiet = false): CommandContext {
  const opts = program.opts<{ workspace?: string }>();
  const paths = resolvePaths({ workspace: opts.workspace });
  return { paths, state: new StateStore(paths.home), output: consoleOutput({ quiet }) };
}

/**
 * Runs a command and turns its result or error into an exit code: the one place errors are caught.
 * Each verb's module is imported when it runs, so `lab list` does not load what `lab logs` needs.
 */
function action<A extends unknown[]>(fn: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    if (program.opts().debug) process.env.LAB_DEBUG = '1';
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      const debug = Boolean(program.opts().debug);
      // A tool reading --json gets one JSON object on stdout for a failure too.
      if (process.argv.includes('--json')) {
        const hint = err instanceof LabError ? err.hint : 'run again with --debug for details, and report it if it persists';
        process.stdout.write(`${JSON.stringify({ version: REPORT_VERSION, error: { message: err instanceof Error ? err.message.split('\n')[0] : String(err), ...(hint ? { hint } : {}) } })}\n`);
      }
      if (err instanceof LabError) {
        process.stderr.write(`${pc.red('error:')} ${err.message}\n`);
        if (err.hint) process.stderr.write(`${pc.dim('hint:')}  ${err.hint}\n`);
        if (debug) process.stderr.write(`${err.stack}\n`);
        process.exitCode = err.exitCode;
      } else {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`${pc.red('error:')} ${message.split('\n')[0]}\n`);
        process.stderr.write(debug && err instanceof Error ? `${err.stack}\n` : `${pc.dim('hint:')}  run again with --debug for details, and report it if it persists\n`);
        process.exitCode = 2;
      }
    }
  };
}

const examples = (lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

program
  .command('list')
  .description('list the labs with your progress (passed/total exercises)')
  .addHelpText('after', examples(['lab list']))
  .action(action(async () => (await import('./commands/list.js')).listCommand(context())));

program
  .command('doctor [lab]')
  .description("check this machine for what a lab needs (Node, Python, JDK, container engine, ports, memory, disk) and say how to fix what is missing")
  .addHelpText('after', examples(['lab doctor', 'lab doctor month1']))
  .action(action(async (lab?: string) => (await import('./commands/doctor.js')).doctorCommand(context(), lab)));

program
  .command('up <lab>')
  .description("start a lab: its services, its seeded dataset, and your workspace of exercises (existing files are never overwritten)")
  .addOption(new Option('--scale <scale>', 'dataset size: small = 10^4 orders, medium = 10^6, large = 10^7').choices(['small', 'medium', 'large']))
  .option('--seed <n>', 'random seed of the dataset: the same seed gives the same rows on every machine (default 42)')
  .option('--runtime <name>', 'local (default; no containers), docker (the compose stack in compose/<lab>.yaml) or remote; also LAB_RUNTIME')
  .option('--local-images', 'docker runtime: use images built here by `lab images build <lab>` instead of pulling them (also LAB_LOCAL_IMAGES=1)')
  .addHelpText('after', examples(['lab up month1', 'lab up month1 --scale medium --seed 7', 'lab up month1 --runtime docker', 'lab up month1 --runtime docker --local-images']) + '\nRunning `up` again is quick: data already seeded with the same seed and scale is kept,\nand exercise files you deleted are re-created from their templates (and listed).\n')
  .action(action(async (lab: string, flags) => (await import('./commands/up.js')).upCommand(context(), lab, flags)));

program
  .command('status [lab]')
  .description('show which labs are up, on which runtime, their services and your progress')
  .addHelpText('after', examples(['lab status', 'lab status month1']))
  .action(action(async (lab?: string) => (await import('./commands/status.js')).statusCommand(context(), lab)));

program
  .command('check <lab> [exercise]')
  .description("grade your solutions: each runs on your dataset and on a hidden second seed, and is compared with the reference solution's result")
  .option('--json', 'print one JSON object (the contract other tools read) instead of the report')
  .option('--junit <file>', 'also write a JUnit XML report to <file>')
  .option('--timeout <seconds>', 'stop a solution that runs longer than this (default 20 s for SQL, 60 s for Python)')
  .option('--fresh', 'run every solution again, even those unchanged since their last check')
  .option('--engine <engine>', 'build and judge model exercises on the stack\'s Trino, written in its dialect (month4 on the docker runtime: trino)')
  .addHelpText('after', examples(['lab check month1', 'lab check month1 03', 'lab check month1 --json', 'lab check month1 --junit report.xml', 'lab check month1 --fresh', 'lab check month4 --engine trino   # docker runtime: your models run on Trino']) + '\nExit code 0 only when every selected check passes.\nAn exercise whose file, data and checks are unchanged since its last check keeps that result\n(it would be the same); --fresh runs everything again.\n')
  .action(action(async (lab: string, exercise: string | undefined, flags) => (await import('./commands/check.js')).checkCommand(context(Boolean(flags.json)), lab, exercise, flags)));

program
  .command('hint <lab> <exercise>')
  .description('reveal the next hint for an exercise (each call reveals one more)')
  .option('--all', 'repeat every hint revealed so far')
  .addHelpText('after', examples(['lab hint month1 01', 'lab hint month1 dedupe-orders --all']))
  .action(action(async (lab: string, exercise: string, flags) => (await import('./commands/hint.js')).hintCommand(context(), lab, exercise, flags)));

program
  .command('watch <lab> [exercise]')
  .description('re-grade an exercise every time you save its file, redrawing the screen (Ctrl-C to stop); with an exercise, only that one')
  .option('--timeout <seconds>', 'stop a solution that runs longer than this')
  .addHelpText('after', examples(['lab watch month1', 'lab watch month1 03   # pinned to one exercise']))
  .action(action(async (lab: string, exercise: string | undefined, flags) => (await import('./commands/watch.js')).watchCommand(context(), lab, exercise, flags)));

program
  .command('solution <lab> <exercise>')
  .description('show the reference solution; --apply copies it into your workspace after backing up your file')
  .option('--apply', 'replace your file with the reference (your file is saved in workspace/.backup/ first)')
  .option('--engine <engine>', 'show the reference in another engine\'s dialect, where the lab has one (month4: trino)')
  .option('-y, --yes', 'print the whole reference without asking first (it gives the exercise away)')
  .addHelpText('after', examples(['lab diff month1 01   # first: your rows against the expected ones', 'lab solution month1 01', 'lab solution month1 01 --yes', 'lab solution month1 01 --apply', 'lab solution month4 01 --engine trino --yes   # the same model in Trino\'s SQL']) + '\nPrinting a reference asks first (it is the answer); off a terminal it needs --yes.\n')
  .action(action(async (lab: string, exercise: string, flags) => (await import('./commands/solution.js')).solutionCommand(context(), lab, exercise, flags)));

program
  .command('reset <lab> [exercises...]')
  .description('put the lab\'s data back to freshly seeded; your files are kept unless --exercises')
  .option('--exercises', 'also restore exercise templates (all, or the ones named), after copying your files to workspace/.backup/<timestamp>/')
  .option('--seed <n>', 'reseed with another seed')
  .addOption(new Option('--scale <scale>', 'reseed at another scale').choices(['small', 'medium', 'large']))
  .addHelpText('after', examples(['lab reset month1', 'lab reset month1 --exercises', 'lab reset month1 03 --exercises', 'lab reset month1 --scale medium']))
  .action(action(async (lab: string, exercises: string[], flags) => (await import('./commands/reset.js')).resetCommand(context(), lab, exercises, flags)));

program
  .command('down <lab>')
  .description('stop a lab\'s services; data and your files are kept')
  .option('--purge', 'also delete the lab\'s seeded data (your files are still kept)')
  .option('--volumes', 'docker runtime: also remove the stack\'s data volumes (your files are still kept)')
  .addHelpText('after', examples(['lab down month1', 'lab down month1 --purge', 'lab down month1 --volumes']))
  .action(action(async (lab: string, flags) => (await import('./commands/down.js')).downCommand(context(), lab, flags)));

program
  .command('run <lab> [model]')
  .description('build your pipeline: run your model files (one SQL file per table) in dependency order, writing Parquet into the lab\'s lake; in month2, run one exercise\'s flow and show its run; in month3, dbt build your dbt project')
  .option('--from <day>', 'month2: the first day the flow runs for (with --to; default: every day)')
  .option('--to <day>', 'month2: the last day, included')
  .option('--upstream', 'with a model: also run the models it reads, first')
  .option('--day <date>', 'an incremental run for one day: @incremental models rewrite only that day\'s partition (they read it with getvariable(\'run_day\'))')
  .option('--engine <engine>', 'build on the stack\'s Trino instead, as Iceberg tables (month4 on the docker runtime: trino; models in Trino\'s dialect)')
  .option('--timeout <seconds>', 'stop a model that runs longer than this (default 60 s, as in lab check)')
  .option('--load <n>', 'month3: build your dbt project on the first load (1, the default) or the second (2): a snapshot keeps the history of both')
  .addHelpText('after', examples(['lab run month4', 'lab run month4 silver.orders', 'lab run month4 gold.fact_order_lines --upstream', 'lab drop month4 && lab run month4 --day 2025-01-17', 'lab run month4 --engine trino   # docker runtime: Iceberg tables built by Trino', 'lab run month2 01   # month2: your flow of exercise 01, over every day', 'lab run month2 04 --from 2024-03-02 --to 2024-03-09', 'lab run month3   # month3: dbt build of your project', 'lab run month3 +fct_order_lines   # dbt\'s selector: the model and what it reads', 'lab run month3 --load 2   # the second load: your snapshot gains its versions']) + '\nThe order comes from the files: a model that reads silver.orders runs after the model\nthat builds it (silver.orders.sql), as dbt\'s ref() does. `-- @partition_by <column>` in a\nmodel writes its files under <column>=<value>/ folders.\n')
  .action(action(async (lab: string, model: string | undefined, flags) => (await import('./commands/run.js')).runCommand(context(), lab, model, flags)));

program
  .command('query <lab> [sql]')
  .description('explore the lab\'s data with SQL (your seed): DuckDB locally, Trino for month4 on containers')
  .option('-f, --file <file>', 'run the query in a file (e.g. your exercise)')
  .option('--limit <rows>', 'rows to print (default 20)')
  .option('--json', 'print {columns, rows} as JSON')
  .option('--csv', 'print the rows as CSV (a header line, values whole)')
  .option('--wide', 'show long values whole instead of cutting them at 40 characters')
  .addHelpText('after', examples(['lab query month1 "SELECT status, count(*) FROM orders GROUP BY ALL"', 'lab query month1 "SELECT * FROM orders" --limit 100 --csv > orders.csv', 'lab query month1 "DESCRIBE orders"', 'lab query month1 -f workspace/month1/03-running-revenue/query.sql', 'lab query month4 "SELECT line FROM bronze.orders LIMIT 3"', 'lab query month4 "SHOW ALL TABLES"', 'lab query month4 "SELECT json_extract_scalar(line, \'$.status\') FROM bronze.orders"   # docker runtime: Trino\'s dialect', 'lab query month4 \'SELECT * FROM bronze."orders$snapshots"\'   # docker runtime: the Iceberg table\'s snapshots']))
  .action(action(async (lab: string, sql: string | undefined, flags) => (await import('./commands/query.js')).queryCommand(context(), lab, sql, flags)));

program
  .command('drop <lab>')
  .description('land the next day\'s drop in the lake\'s bronze layer, as the nightly export would (month4)')
  .addHelpText('after', examples(['lab drop month4', 'lab run month4 --day 2025-01-17']) + '\n`lab reset month4` puts the data back as seeded, with the drop waiting again.\n')
  .action(action(async (lab: string) => (await import('./commands/drop.js')).dropCommand(context(), lab)));

program
  .command('stream <lab>')
  .description('replay the lab\'s payment stream into the Kafka topic payments, keyed by card, showing the rate and each consumer group\'s lag (month5)')
  .option('--rate <n>', 'payments per second (default: as fast as the broker takes them)')
  .option('--duration <seconds>', 'stop after this long; the next `lab stream` carries on where it stopped')
  .option('--from-start', 'empty the topic and replay from the first payment')
  .addHelpText('after', examples(['lab stream month5', 'lab stream month5 --rate 500 --duration 60', 'lab stream month5 --from-start']) + '\nRun your detector on it in another terminal: `lab detect month5 01`.\n')
  .action(action(async (lab: string, flags) => (await import('./commands/stream.js')).streamCommand(context(), lab, flags)));

program
  .command('detect <lab> <exercise>')
  .description('run your detector by hand on the payments topic (its own process, in consumer group fraud-detector), printing its alerts until Ctrl-C (month5)')
  .option('--instances <n>', 'run 1–3 instances in the group, to watch the partitions shared among them')
  .option('--from-start', 'forget the group\'s offsets and the features in Redis first')
  .addHelpText('after', examples(['lab stream month5 --rate 500 &', 'lab detect month5 01', 'lab detect month5 08 --instances 2']) + '\nOffsets are committed in the group: stop it with Ctrl-C and run it again, and it carries on.\n')
  .action(action(async (lab: string, exercise: string, flags) => (await import('./commands/detect.js')).detectCommand(context(), lab, exercise, flags)));

program
  .command('logs <lab> [service]')
  .description('print a service\'s output (a container\'s, or a local process\'s log): all services, or one; -f follows it')
  .option('-f, --follow', 'keep printing new lines until Ctrl-C (one service)')
  .option('--tail <lines>', 'how many past lines to show (default 100)')
  .addHelpText('after', examples(['lab logs month1', 'lab logs month1 postgres -f', 'lab logs month5 kafka --tail 20']))
  .action(action(async (lab: string, service: string | undefined, flags) => (await import('./commands/logs.js')).logsCommand(context(), lab, service, flags)));

program
  .command('diff <lab> <exercise>')
  .description('show your rows against the expected ones on your seed, side by side, the differing cells marked — before asking for the solution')
  .option('--limit <rows>', 'rows to show (default 20)')
  .option('--offset <rows>', 'skip this many differing rows first (the next page)')
  .addHelpText('after', examples(['lab diff month1 03', 'lab diff month1 03 --offset 20', 'lab diff month4 01']) + '\n`-` rows are expected but missing from yours, `+` rows are yours but not expected; a row\nwith the same key on both sides is one line, its differing cells marked with *.\n')
  .action(action(async (lab: string, exercise: string, flags) => (await import('./commands/diff.js')).diffCommand(context(), lab, exercise, flags)));

program
  .command('restore <lab> [stamp]')
  .description('put back your files from a backup in workspace/.backup/ (the newest, or the one named); your current files are backed up first')
  .option('--list', 'list the backups that hold files of this lab')
  .addHelpText('after', examples(['lab restore month1 --list', 'lab restore month1', 'lab restore month1 2026-12-02T10-15-00-000Z']))
  .action(action(async (lab: string, stamp: string | undefined, flags) => (await import('./commands/restore.js')).restoreCommand(context(), lab, stamp, flags)));

program
  .command('compare [pairs...]')
  .description('measure a backend habit against its data habit on this machine: the same data, the same answer checked on both sides, timed at growing scales')
  .option('--list', 'list the pairs and what each measures')
  .option('--all', 'run every pair (the default when none is named)')
  .option('--scales <list>', 'row counts to measure at, e.g. 1e4,1e5,1e6 (default 1e3,1e4,1e5)')
  .option('--runs <n>', 'timed runs per side and scale, after one warm-up (at least and by default 5)')
  .option('--budget <seconds>', 'stop a run that takes longer than this and report the side as > budget (default 10)')
  .option('--seed <n>', 'random seed of the generated data (default 42)')
  .option('--postgres <url>', 'use this Postgres server instead of starting a temporary local one (also LAB_COMPARE_POSTGRES_URL)')
  .option('--json', 'print one JSON object (the contract other tools read) instead of the tables')
  .addHelpText('after', examples(['lab compare --list', 'lab compare n-plus-one', 'lab compare bulk-load --scales 1e3,1e4,1e5,1e6 --budget 30', 'lab compare --all --json > compare.json', 'lab compare column-scan --postgres postgres://lab@127.0.0.1:5432/lab']) + '\nEach pair first checks that both sides give the same answer, then times them: one warm-up,\nthen the median of the timed runs with its spread. A run past the budget is stopped, and the\nside is reported as > budget at that scale and above. Reports (Markdown, SVG chart) go to\n.lab/compare/. Postgres is a server started in a temporary directory from Debian\'s packages\n(apt-get install postgresql), Kafka the local broker of month5.\n')
  .action(action(async (pairs: string[], flags) => (await import('./commands/compare.js')).compareCommand(context(Boolean(flags.json)), pairs, flags)));

const images = program.command('images').description('container images of the docker runtime');
images
  .command('build <lab> [services...]')
  .description('build the lab\'s images on this machine from package registries only (Debian, Maven Central): for machines that cannot reach an image registry')
  .option('--force', 'rebuild even when an image from the same recipe exists')
  .addHelpText('after', examples(['lab images build month1', 'lab images build month5', 'lab images build month4 minio', 'lab up month1 --runtime docker --local-images']) + '\nNeeds a container engine (Docker or Podman) and, the first time, root for debootstrap.\nImages are built once and reused; a changed recipe is rebuilt.\n')
  .action(action(async (lab: string, services: string[], flags) => (await import('./commands/images.js')).imagesBuildCommand(context(), lab, services, flags)));

const dev = program.command('dev').description('for lab authors: prove the labs are sound');
dev
  .command('check [lab]')
  .description('check a lab (or all) as its author: valid as data, every template fails and every reference passes on both seeds, and a reference in another dialect (Trino) gives the same rows where the stack runs it')
  .option('--scales <list>', 'the scales every declared trap must occur at (default small,medium,large)')
  .option('--exercise <list>', 'only these exercises, by number or id (e.g. 08 or 08-rebalance,09): their traps, templates and solutions')
  .addHelpText('after', examples(['lab dev check', 'lab dev check month1', 'lab dev check month4 --scales small,medium', 'lab dev check month5 --exercise 08 --scales small', 'lab up month4 --runtime docker && lab dev check month4   # also compares the Trino references']) + '\nIt seeds seed 42 (small) in a scratch home and writes templates and solutions there: your\nworkspace and data are not touched. Each exercise\'s traps (the cases its statement warns about)\nmust occur on that seed at every scale and on the hidden seed. Exit code 0 only when nothing is wrong.\n')
  .action(action(async (lab: string | undefined, flags) => (await import('./commands/dev.js')).devCheckCommand(context(), lab, flags)));

await program.parseAsync(process.argv);
