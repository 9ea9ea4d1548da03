'use strict';
// The task handler under task-lib's mock-test: inputs reach the command line, exit codes and outcomes
// map to the step's result, and a missing dotnet or tool is reported. Run by 'npm test' in tasks/.
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test } = require('node:test');
const { MockTestRunner } = require('../PipelineGateV1/node_modules/azure-pipelines-task-lib/mock-test') // the task's own copy;

const DEFAULT_ARGS = ['check', '--publish', 'azure-devops', '--out', '{out}', '--comment', 'on-failure', '--fail-on', 'fail'];

async function run(scenario) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-task-'));
  process.env.PG_SCENARIO = JSON.stringify({ temp, package: 'PipelineGate.Tool', args: DEFAULT_ARGS, inputs: { version: '0.1.0' }, ...scenario });
  const tr = new MockTestRunner(path.join(__dirname, 'scenarios', 'run.js'), path.join(__dirname, '..', 'PipelineGateV1', 'task.json'));
  // Run on this Node: LoadAsync would download the Node of the task's highest handler (Node24).
  tr.nodePath = process.execPath;
  await tr.runAsync();
  fs.rmSync(temp, { recursive: true, force: true });
  return tr;
}

function resultLine(tr) {
  return tr.stdout.split('\n').find((l) => l.startsWith('##vso[task.complete')) || '';
}

test('a pass installs the pinned tool, runs check with the defaults and succeeds', async () => {
  const tr = await run({ checkCode: 0, outcome: 'pass' });
  assert.equal(tr.invokedToolCount, 2, tr.stdout);
  assert.ok(tr.succeeded, tr.stdout);
  assert.match(resultLine(tr), /result=Succeeded;\]PipelineGate: every budget passed\./);
});

test('every input is passed through to the command line', async () => {
  const tr = await run({
    checkCode: 0,
    outcome: 'pass',
    package: 'PipelineGate.Tool.Gpu',
    inputs: { version: '0.2.0', flavour: 'gpu', feed: 'https://feed.example/v3/index.json', config: 'models/pipelinegate.yml', profile: 'pr', baselineRef: 'origin/main', target: 'cuda', comment: 'always', failOn: 'warn' },
    args: ['check', '--publish', 'azure-devops', '--out', '{out}', '--config', 'models/pipelinegate.yml', '--profile', 'pr', '--baseline-ref', 'origin/main', '--target', 'cuda', '--comment', 'always', '--fail-on', 'warn'],
  });
  assert.equal(tr.invokedToolCount, 2, tr.stdout);
  assert.ok(tr.succeeded, tr.stdout);
});

test('warnings succeed with issues', async () => {
  const tr = await run({ checkCode: 0, outcome: 'warn' });
  assert.match(resultLine(tr), /result=SucceededWithIssues;\]PipelineGate: passed with issues \(outcome warn\)\./);
});

test('a failure that failOn lets through succeeds with issues', async () => {
  const tr = await run({ checkCode: 0, outcome: 'fail' });
  assert.match(resultLine(tr), /result=SucceededWithIssues;/);
});

test('exit 1 fails the step', async () => {
  const tr = await run({ checkCode: 1, outcome: 'fail' });
  assert.ok(tr.failed);
  assert.match(resultLine(tr), /result=Failed;\]PipelineGate: the gate failed \(outcome fail\)\./);
});

test('exit 2 and 3 fail the step naming the kind of error', async () => {
  const config = await run({ checkCode: 2 });
  assert.match(resultLine(config), /result=Failed;\]pipelinegate exited 2 \(a usage, config or model error\)/);
  const runtime = await run({ checkCode: 3, outcome: 'pass' });
  assert.match(resultLine(runtime), /result=Failed;\]pipelinegate exited 3 \(a runtime error\)/);
});

test('exit 0 without results.json fails', async () => {
  const tr = await run({ checkCode: 0 });
  assert.match(resultLine(tr), /result=Failed;\]pipelinegate exited 0 without writing results\.json\./);
});

test('a tool that did not install is reported and check is not run', async () => {
  const tr = await run({ checkCode: 0, outcome: 'pass', installed: false, installCode: 1 });
  assert.equal(tr.invokedToolCount, 1);
  assert.match(resultLine(tr), /result=Failed;\]PipelineGate\.Tool 0\.1\.0 could not be installed into .* \(dotnet tool install exited 1\)/);
});

test('no dotnet on the agent says which step to add', async () => {
  const tr = await run({ checkCode: 0, outcome: 'pass', dotnet: false });
  assert.equal(tr.invokedToolCount, 0);
  assert.match(resultLine(tr), /result=Failed;\]dotnet was not found on the agent: add a UseDotNet@2 step/);
});

test('the handler never writes a logging command other than the result', async () => {
  const tr = await run({ checkCode: 0, outcome: 'pass' });
  const commands = tr.stdout.split('\n').filter((l) => l.startsWith('##vso[') && !l.startsWith('##vso[task.debug'));
  assert.deepEqual(commands.map((l) => l.slice(0, l.indexOf(' '))), ['##vso[task.complete']);
});
