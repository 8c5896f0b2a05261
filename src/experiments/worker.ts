// Worker-thread entry for sweeps (tinypool calls the default export once per task).
import { runOne, type RunOutcome, type RunTask } from './run-one.js';

export default function work(task: RunTask): Promise<RunOutcome> {
  return runOne(task);
}
