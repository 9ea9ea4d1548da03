'use strict';
// One task run under task-lib's mock runner. The scenario comes from PG_SCENARIO (JSON): inputs, the
// exit codes of 'dotnet tool install' and 'pipelinegate check', whether dotnet and the installed tool
// exist, and the results.json the check leaves behind.
const fs = require('fs');
const path = require('path');
const { TaskMockRunner } = require('../../PipelineGateV1/node_modules/azure-pipelines-task-lib/mock-run');

const s = JSON.parse(process.env.PG_SCENARIO);
const temp = s.temp;
const work = path.join(temp, 'work');
const toolDir = path.join(temp, 'agent', 'pipelinegate');
const exe = path.join(toolDir, 'pipelinegate');
const out = path.join(work, 'pipelinegate-out');
process.env.AGENT_TEMPDIRECTORY = path.join(temp, 'agent');
process.env.SYSTEM_DEFAULTWORKINGDIRECTORY = work;
fs.mkdirSync(out, { recursive: true });
fs.mkdirSync(process.env.AGENT_TEMPDIRECTORY, { recursive: true });
if (s.outcome) {
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify({ schema: 'pipelinegate/results/v1', summary: { outcome: s.outcome } }));
}

const tmr = new TaskMockRunner(path.join(__dirname, '..', '..', 'PipelineGateV1', 'index.js'));
for (const [name, value] of Object.entries(s.inputs)) {
  tmr.setInput(name, value);
}

const install = ['/usr/bin/dotnet tool install', s.package, '--tool-path', toolDir, '--version', s.inputs.version]
  .concat(s.inputs.feed ? ['--add-source', s.inputs.feed] : []).join(' ');
tmr.setAnswers({
  which: s.dotnet === false ? {} : { dotnet: '/usr/bin/dotnet' },
  checkPath: { '/usr/bin/dotnet': true },
  exist: { [exe]: s.installed !== false },
  exec: {
    [install]: { code: s.installCode || 0, stdout: 'Tool installed.' },
    [[exe].concat(s.args.map((a) => a.replace("{out}", out))).join(" ")]: { code: s.checkCode, stdout: 'PipelineGate ran.' },
  },
});
tmr.run();
