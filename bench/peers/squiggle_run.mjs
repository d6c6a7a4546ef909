// Runs a Squiggle model with N samples; prints its `summary`, and the wall and CPU time of run().
// usage: node squiggle_run.mjs MODEL.squiggle SAMPLES
import { readFileSync } from "node:fs";
import { run } from "@quri/squiggle-lang";

const [file, samples] = process.argv.slice(2);
const code = readFileSync(file, "utf8");
const c0 = process.cpuUsage();
const t0 = performance.now();
const out = await run(code, { environment: { sampleCount: Number(samples), xyPointLength: 1000, seed: "1" } });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
if (!out.result.ok) {
  console.error(String(out.result.value));
  process.exit(1);
}
const summary = out.result.value.bindings.get("summary");
console.log(`summary ${summary ? summary.toString() : "(none)"}`);
console.log(`seconds ${seconds}`);
console.log(`cpu_seconds ${(cpu.user + cpu.system) / 1e6}`);
