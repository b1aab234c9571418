/** `lern job` tells a runnable job from one of a later version and from a typo. */
import { describe, expect, it } from 'vitest';
import { JOB_NAMES, RUNNABLE_JOBS } from '@lern/operator/components';
import { JOBS, jobRefusal } from './registry.ts';

describe('jobRefusal', () => {
  const runs = `(this version runs: ${RUNNABLE_JOBS.join(', ')})`;
  it('runs every runnable job, each with a loader', () => {
    for (const name of RUNNABLE_JOBS) {
      expect(jobRefusal(name)).toBeUndefined();
      expect(JOBS[name]).toBeDefined();
    }
    expect(RUNNABLE_JOBS).toEqual(expect.arrayContaining(['user-deletion-cleanup', 'user-cache-updater']));
  });
  it('names a job of a later version as such', () => {
    for (const name of JOB_NAMES.filter((n) => !RUNNABLE_JOBS.includes(n))) expect(jobRefusal(name)).toBe(`job '${name}' is not in this version yet ${runs}`);
  });
  it('calls anything else unknown', () => {
    expect(jobRefusal('user-cache')).toBe(`unknown job 'user-cache' ${runs}`);
  });
});
