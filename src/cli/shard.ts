// --shard: "i/k" as given, or "auto" from the scheduler running this process — a Slurm job
// array (SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_MIN/_MAX/_STEP or SLURM_ARRAY_TASK_COUNT)
// or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the count from --shard-count, since
// Kubernetes does not put .spec.completions in the environment). With Slurm, --shard-count
// fixes the count and makes the task ID itself the index, so a subset of a 0-based array can
// be resubmitted (sbatch --array=3,5) and still run shards 3 and 5 of k: MIN/MAX/COUNT then
// describe the resubmitted subset, not the whole run.

import { UsageError } from "./args.js";

export type Env = Record<string, string | undefined>;

const int = (env: Env, name: string): number | undefined => {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--shard auto: ${name}=${JSON.stringify(v)} is not a non-negative integer`);
  return Number(v.trim());
};

/**
 * Resolve --shard / --shard-count to "i/k" (or undefined: no sharding). Errors name the
 * variables involved, for the cases a job script gets wrong: neither scheduler, both, a
 * count that disagrees, an index outside the count, an array with gaps.
 */
export function resolveShard(shard: string | undefined, shardCount: number | undefined, env: Env): string | undefined {
  if (shard === undefined) {
    if (shardCount !== undefined) throw new UsageError("--shard-count goes with --shard auto");
    return undefined;
  }
  if (shard !== "auto") {
    if (shardCount !== undefined)
      throw new UsageError(`--shard-count goes with --shard auto (--shard ${shard} already gives the count)`);
    return shard;
  }
  if (shardCount !== undefined && shardCount < 1) throw new UsageError("--shard-count must be ≥ 1");
  const slurmId = int(env, "SLURM_ARRAY_TASK_ID");
  const k8sIndex = int(env, "JOB_COMPLETION_INDEX");
  if (slurmId !== undefined && k8sIndex !== undefined) {
    throw new UsageError("--shard auto: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set; pass --shard i/k explicitly");
  }
  let index: number, count: number;
  if (slurmId !== undefined) {
    const min = int(env, "SLURM_ARRAY_TASK_MIN"),
      max = int(env, "SLURM_ARRAY_TASK_MAX");
    const step = int(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
    const total = int(env, "SLURM_ARRAY_TASK_COUNT");
    if (step < 1) throw new UsageError("--shard auto: SLURM_ARRAY_TASK_STEP must be ≥ 1");
    if (shardCount !== undefined) {
      if (slurmId >= shardCount)
        throw new UsageError(
          `--shard auto: SLURM_ARRAY_TASK_ID=${slurmId} ≥ --shard-count ${shardCount} (with --shard-count the array must be 0-based: --array=0-${shardCount - 1} or a subset of it)`,
        );
      index = slurmId;
      count = shardCount;
    } else if (min !== undefined && max !== undefined) {
      if (max < min) throw new UsageError(`--shard auto: SLURM_ARRAY_TASK_MAX=${max} < SLURM_ARRAY_TASK_MIN=${min}`);
      if (slurmId < min || slurmId > max || (slurmId - min) % step !== 0) {
        throw new UsageError(
          `--shard auto: SLURM_ARRAY_TASK_ID=${slurmId} is not in the array ${min}-${max}${step > 1 ? `:${step}` : ""}`,
        );
      }
      index = (slurmId - min) / step;
      count = Math.floor((max - min) / step) + 1;
      if (total !== undefined && total !== count) {
        // e.g. --array=0,3,7: shards would be missing; the array must be a range
        throw new UsageError(
          `--shard auto: SLURM_ARRAY_TASK_COUNT=${total} disagrees with the range ${min}-${max}${step > 1 ? `:${step}` : ""} (${count} tasks); submit the array as a range, e.g. --array=0-${total - 1}, or give the run's shard count with --shard-count`,
        );
      }
    } else if (total !== undefined) {
      if (slurmId >= total)
        throw new UsageError(
          `--shard auto: SLURM_ARRAY_TASK_ID=${slurmId} ≥ SLURM_ARRAY_TASK_COUNT=${total} and SLURM_ARRAY_TASK_MIN/_MAX are not set; the array must be 0-based`,
        );
      index = slurmId;
      count = total;
    } else {
      throw new UsageError(
        "--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN/_MAX is (or pass --shard-count)",
      );
    }
  } else if (k8sIndex !== undefined) {
    if (shardCount === undefined) {
      throw new UsageError(
        "--shard auto: JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job); pass the Job's completions as --shard-count",
      );
    }
    if (k8sIndex >= shardCount)
      throw new UsageError(`--shard auto: JOB_COMPLETION_INDEX=${k8sIndex} ≥ --shard-count ${shardCount}`);
    index = k8sIndex;
    count = shardCount;
  } else {
    throw new UsageError(
      "--shard auto: no job array found: set by Slurm (sbatch --array, SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shard-count); or pass --shard i/k",
    );
  }
  return `${index}/${count}`;
}
