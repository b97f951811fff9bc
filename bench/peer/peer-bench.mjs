// Runs one ASL definition on the npm package aws-local-stepfunctions (the peer) and prints
// machine-readable lines, each "BENCH <json>", that dev.troupe.bench.PeerRunner parses.
//
//   node peer-bench.mjs MODULE_DIR check      DEFINITION INPUT
//   node peer-bench.mjs MODULE_DIR throughput DEFINITION INPUT CONCURRENCY WARMUP_S ITERATIONS SECONDS
//   node peer-bench.mjs MODULE_DIR latency    DEFINITION INPUT WARMUP_S SAMPLES
//
// check: one execution, reading its event log; prints its output and how many states it entered
// (StateEntered events, nested Map and Parallel events included), the same count Troupe makes.
// throughput: keeps CONCURRENCY executions in flight on this one event loop (each finished one is
// replaced by a new one), warms up for WARMUP_S seconds, then prints ITERATIONS windows of SECONDS
// each with the executions completed in the window.
// latency: one execution at a time, start to finish, after WARMUP_S seconds of the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [moduleDir, mode, definitionFile, inputFile, ...rest] = process.argv.slice(2);
const peer = await import(
  pathToFileURL(join(moduleDir, 'node_modules/aws-local-stepfunctions/build/main.node.esm.js')).href);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const inputText = readFileSync(inputFile, 'utf8');
// One parsed machine, as Troupe parses its definition once; validation is not timed.
const machine = new peer.StateMachine(definition);
const print = (o) => console.log('BENCH ' + JSON.stringify(o));
// A fresh input object per execution, as Troupe gets a fresh JSON tree per execution.
const run = () => machine.run(JSON.parse(inputText)).result;
const now = () => Number(process.hrtime.bigint()) / 1e9;

if (mode === 'check') {
  const execution = machine.run(JSON.parse(inputText));
  let stateEntered = 0;
  const reading = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') stateEntered++;
    }
  })();
  const output = await execution.result;
  await reading;
  print({ phase: 'check', stateEntered, output });
} else if (mode === 'throughput') {
  const [concurrency, warmup, iterations, seconds] = rest.map(Number);
  // The peer's executions chain promises without yielding to timers, so the windows are kept by
  // the workers themselves: each finished execution checks the clock.
  let iteration = 0; // 0 while warming up
  let completed = 0;
  let windowStart = now();
  let windowEnd = windowStart + warmup;
  const tick = () => {
    const t = now();
    if (t < windowEnd) return;
    if (iteration > 0) {
      print({ phase: 'measure', iteration, executions: completed, seconds: t - windowStart });
    }
    iteration++;
    completed = 0;
    windowStart = t;
    windowEnd = t + seconds;
  };
  const worker = async () => {
    while (iteration <= iterations) {
      await run();
      completed++;
      tick();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
} else if (mode === 'latency') {
  const [warmup, samples] = rest.map(Number);
  const end = now() + warmup;
  while (now() < end) await run();
  const nanos = new Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    nanos[i] = Number(process.hrtime.bigint() - t0);
  }
  print({ phase: 'latency', nanos });
} else {
  console.error('usage: peer-bench.mjs MODULE_DIR check|throughput|latency DEFINITION INPUT ...');
  process.exit(64);
}
