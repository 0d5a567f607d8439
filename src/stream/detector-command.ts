/**
 * How a learner's detector file runs as its own process, for the grader and `lab detect` alike: a
 * TypeScript module in the detector host, or a Python script (a Spark Structured Streaming job) in
 * the lab's venv.
 */
import path from 'node:path';
import { LabError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

/** The process that hosts a TypeScript detector module (src/stream/host.ts, compiled). */
export const DETECTOR_HOST = path.join(PACKAGE_ROOT, 'dist', 'src', 'stream', 'host.js');

export interface DetectorCommand {
  command: string;
  args: string[];
  /** Its own process group: a Python script's children (a Spark job's JVM) are signalled with it and never outlive it. */
  group: boolean;
}

export const isPythonDetector = (file: string): boolean => file.endsWith('.py');

export function detectorCommand(file: string, buildDir: string, python?: string): DetectorCommand {
  if (isPythonDetector(file)) {
    if (!python) throw new LabError(`${path.basename(file)} is a Python detector, and this lab has no Python venv.`, 'Run `lab up <lab>` to create it.');
    return { command: python, args: ['-u', file], group: true };
  }
  return { command: process.execPath, args: ['--enable-source-maps', DETECTOR_HOST, file, buildDir], group: false };
}

/** What a Spark detector gets besides the topics: its checkpoint folder, the Kafka source's jars, and loopback for its driver. */
export function sparkDetectorEnv(checkpoint: string, jars: string[]): Record<string, string> {
  return { LAB_CHECKPOINT_DIR: checkpoint, LAB_SPARK_JARS: jars.join(','), SPARK_LOCAL_IP: '127.0.0.1' };
}
