// The notebooks' findings as functions of their results: each takes the measured values and returns the sentences
// a notebook's closing cell prints, so that the wording's branches are tested and no notebook hard-codes a result.
export * from "./common";
export * from "./quickstart";
export * from "./single-task";
export * from "./forgetting";
export * from "./mixtures";
export * from "./lora";
export * from "./chat-summary";
export * from "./base-model";
export * from "./decoding";
export * from "./trajectory";
