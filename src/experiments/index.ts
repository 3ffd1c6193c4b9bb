export * from "./finetune";
export * from "./scoring";
export * from "./results";
export * from "./findings";
export * from "./recipes";
export * from "./forgetting-report";
export * from "./lab-table";
export * from "./real-data";
