// Builds the instruction collection (src/lab/tasks/collection.ts) into a folder, by default build/collection:
//
//   node --import tsx scripts/build-collection.ts [--out build/collection] [--seed 2026] [--tasks a,b,...]
//
// Same seed, same bytes. The four base tasks' splits come out identical to the shipped datasets/ ones.
import { buildInstructionCollection } from "../src/lab/tasks/collection";

/** The value after `--name`, or undefined. */
function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const seed = flag("seed");
  const tasks = flag("tasks");
  const build = await buildInstructionCollection({
    out: flag("out"),
    seed: seed === undefined ? undefined : Number(seed),
    tasks: tasks === undefined ? undefined : tasks.split(","),
    log: (message) => console.log(message),
  });
  console.log(`${build.tasks.length} tasks in ${build.out} (${build.seconds.toFixed(1)} s)`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
