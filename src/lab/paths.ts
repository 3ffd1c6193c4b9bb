// Where the lab's files live: the package root holds datasets/, models/, bench/ and build/. Found by walking up to
// package.json, so the same code works from src/ (tsx) and from dist/ (compiled) at any folder depth.
import * as fs from "fs";
import * as path from "path";

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}: cannot locate flanlab's datasets/ and models/.`);
  }
}

/** The flanlab package's root folder. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** The lab's shipped data sets: <package root>/datasets. */
export const DATASETS_DIR = path.join(PACKAGE_ROOT, "datasets");


/** The lab's miniature T5: w96-l3 pretrained with span corruption and text infilling (scripts/base-pretrain.ts). */
export const PRETRAINED_MODEL_DIR = path.join(PACKAGE_ROOT, "models", "flanlab-mini-t5");

/** The lab's miniature FLAN-T5: flanlab-mini-t5 instruction-tuned on the collection (scripts/base-instruct.ts). */
export const INSTRUCTED_MODEL_DIR = path.join(PACKAGE_ROOT, "models", "flanlab-mini");

/** The base model the notebooks fine-tune: the miniature FLAN-T5. */
export const BASE_MODEL_DIR = INSTRUCTED_MODEL_DIR;

/** Where notebooks write their numbers: <package root>/build/results. */
export const RESULTS_DIR = path.join(PACKAGE_ROOT, "build", "results");
