'use strict';
// The PipelineGate task: install the pinned tool, run the gate, set the step's result. Everything else
// (budgets, statistics, the pull-request thread, logging commands) is the CLI's; this file only wires.
const fs = require('fs');
const os = require('os');
const path = require('path');
const tl = require('azure-pipelines-task-lib/task');

const PACKAGES = { cpu: 'PipelineGate.Tool', gpu: 'PipelineGate.Tool.Gpu' };

function optional(name) {
  const value = tl.getInput(name, false);
  return value && value.trim().length > 0 ? value.trim() : undefined;
}

async function install(version, flavour, feed) {
  const id = PACKAGES[flavour];
  if (!id) {
    throw new Error(`flavour '${flavour}' is not one of ${Object.keys(PACKAGES).join(', ')}.`);
  }

  const toolPath = path.join(tl.getVariable('Agent.TempDirectory') || os.tmpdir(), 'pipelinegate');
  const dotnet = tl.which('dotnet', false);
  if (!dotnet) {
    throw new Error('dotnet was not found on the agent: add a UseDotNet@2 step (packageType: sdk, version: 10.0.x) before PipelineGate.');
  }

  const args = ['tool', 'install', id, '--tool-path', toolPath, '--version', version];
  if (feed) {
    args.push('--add-source', feed);
  }

  const code = await tl.tool(dotnet).arg(args).exec({ ignoreReturnCode: true });
  // An already installed tool of the same version answers non-zero; the executable is what counts.
  const exe = path.join(toolPath, process.platform === 'win32' ? 'pipelinegate.exe' : 'pipelinegate');
  if (!tl.exist(exe)) {
    throw new Error(`${id} ${version} could not be installed into ${toolPath} (dotnet tool install exited ${code}); check the version and the feed.`);
  }

  return exe;
}

function checkArguments(out) {
  const args = ['check', '--publish', 'azure-devops', '--out', out];
  const map = { config: '--config', profile: '--profile', baselineRef: '--baseline-ref', target: '--target' };
  for (const [input, option] of Object.entries(map)) {
    const value = optional(input);
    if (value) {
      args.push(option, value);
    }
  }

  args.push('--comment', optional('comment') || 'on-failure', '--fail-on', optional('failOn') || 'fail');
  return args;
}

function readOutcome(out) {
  const file = path.join(out, 'results.json');
  if (!fs.existsSync(file)) {
    return undefined;
  }

  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  return results && results.summary ? results.summary.outcome : undefined;
}

// The step's result: exit 1 is a failed gate under failOn; otherwise the outcome in results.json says
// whether it passed cleanly or with issues (warnings, or failures that failOn lets through).
function resultFor(code, outcome) {
  if (code === 2 || code === 3) {
    return [tl.TaskResult.Failed, `pipelinegate exited ${code} (${code === 2 ? 'a usage, config or model error' : 'a runtime error'}); the log above has the PG code.`];
  }

  if (outcome === undefined) {
    return [tl.TaskResult.Failed, `pipelinegate exited ${code} without writing results.json.`];
  }

  if (code === 1) {
    return [tl.TaskResult.Failed, `PipelineGate: the gate failed (outcome ${outcome}).`];
  }

  if (code !== 0) {
    return [tl.TaskResult.Failed, `pipelinegate exited ${code}.`];
  }

  return outcome === 'pass'
    ? [tl.TaskResult.Succeeded, 'PipelineGate: every budget passed.']
    : [tl.TaskResult.SucceededWithIssues, `PipelineGate: passed with issues (outcome ${outcome}).`];
}

async function run() {
  try {
    const exe = await install(tl.getInput('version', true).trim(), optional('flavour') || 'cpu', optional('feed'));
    const cwd = optional('workingDirectory') || tl.getVariable('System.DefaultWorkingDirectory') || process.cwd();
    const out = path.join(cwd, 'pipelinegate-out');
    const code = await tl.tool(exe).arg(checkArguments(out)).exec({ cwd, ignoreReturnCode: true });
    const [result, message] = resultFor(code, readOutcome(out));
    tl.setResult(result, message);
  } catch (err) {
    tl.setResult(tl.TaskResult.Failed, err instanceof Error ? err.message : String(err));
  }
}

run();
