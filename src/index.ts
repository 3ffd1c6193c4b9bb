// flanlab's library: what notebooks import (from "../dist") and what the CLI is built on.
export * from "./backend";
export * from "./model/config";
export * from "./model/params";
export * from "./model/t5";
export * from "./model/loss";
export * from "./model/generate";
export * from "./io/safetensors";
export * from "./io/checkpoint";
export * from "./io/tokenizer";
export * from "./data/collate";
export * from "./train/step";
export * from "./train/progress";
export * from "./notebook/plots";
export * from "./notebook/tables";
export * from "./notebook/params";
export * from "./eval/rouge";
export * from "./random";
