/**
 * Vitest global setup for lab tests: gives the run an id (so the first lab test file of a run starts from a
 * fresh fleet and the others reuse it), and at the end stops the fleet if this run brought it up.
 */
import type { TestProject } from 'vitest/node';
import { finishLabRun } from './lab.js';

declare module 'vitest' {
  export interface ProvidedContext {
    labRunId: string;
  }
}

export default function setup(project: TestProject) {
  const runId = `${process.pid}-${Date.now()}`;
  project.provide('labRunId', runId);
  return async () => {
    await finishLabRun(runId);
  };
}
