// npm run bench: the benchmark of issue #6 (see src/bench/run.ts and bench/NOTES.md). Same flags as `flanlab bench`.
import { initBackend } from "../src/backend";
import { parseBenchArgs } from "../src/lab/bench/args";
import { runBench } from "../src/lab/bench/run";

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  await initBackend();
  await runBench(options);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
