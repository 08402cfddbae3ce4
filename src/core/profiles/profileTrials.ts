/**
 * Credentials tried in a profile with a way back: an import put in before PandaDoc has checked it
 * (Don't Keep puts back what was there), and a sign-in into a new profile (a failure removes the
 * profile it made). Built on Profiles' public operations only: this file owns the trial, and the
 * arrow goes one way, from here to profiles.ts.
 */
import { describeError } from '../base/errors';
import type { Credentials } from '../token/credentials';
import type { TokenManager } from '../token/tokenManager';
import { findName } from './profileIndex';
import type { Profiles } from './profiles';

/** Credentials put in a profile on trial (an import, before PandaDoc has checked them), and
 *  what the profiles were before, so they can be put back if the user does not keep them. */
export interface Trial {
  profile: string;
  /** The profile was made for the trial. */
  created: boolean;
  /** What the profile held before (nothing when made for the trial, or unreadable). */
  previous: Credentials | undefined;
  /** The profile active before. */
  previousActive: string;
  /** `identityOf` the credentials put in: the undo leaves the profile alone once it holds others. */
  identity: string | undefined;
}

/**
 * Fills the profile `name` (made when there is none) with `fill`, makes it active, and returns
 * what `undoTrial` needs to put everything back as it was.
 */
export async function fillOnTrial(profiles: Profiles, name: string, fill: (manager: TokenManager) => Promise<void>): Promise<Trial> {
  const previousActive = profiles.activeName();
  const existing = findName(profiles.names(), name);
  const profile = existing ?? (await profiles.create(name, { activate: false }));
  const manager = await profiles.manager(profile);
  const previous = existing === undefined ? undefined : await manager.snapshot();
  try {
    await fill(manager);
  } catch (error) {
    if (existing === undefined) {
      await dropIfEmpty(profiles, profile, previousActive);
    }
    throw error;
  }
  await profiles.switchTo(profile);
  return { profile, created: existing === undefined, previous, previousActive, identity: manager.identity() };
}

/**
 * Puts back what a trial replaced: removes the profile made for it, or restores what the
 * profile held; then the profile active before is active again. Resolves false, changing
 * nothing, when the profile no longer holds the trial's credentials (someone stored others).
 */
export async function undoTrial(profiles: Profiles, trial: Trial): Promise<boolean> {
  const found = findName(profiles.names(), trial.profile);
  if (found === undefined || trial.identity === undefined) {
    return false;
  }
  const manager = await profiles.manager(found);
  if (manager.identity() !== trial.identity) {
    return false;
  }
  if (trial.created) {
    await profiles.remove(found);
  } else if (!(await manager.restore(trial.previous, trial.identity))) {
    return false;
  }
  if (findName(profiles.names(), trial.previousActive) !== undefined) {
    await profiles.switchTo(trial.previousActive);
  }
  profiles.log.info(`[profiles] put back what "${found}" replaced${trial.created ? ': the profile was removed' : ''}`);
  return true;
}

/**
 * Runs `task` in the profile `name`, made when there is none and made active. When the task
 * fails, a profile made for it that is still empty is removed and the profile active before is
 * active again, so a cancelled sign-in into a new profile leaves the profiles as they were.
 */
export async function runInProfileOrRollBack<T>(profiles: Profiles, name: string, task: () => Promise<T>): Promise<T> {
  const previous = profiles.activeName();
  const created = findName(profiles.names(), name) === undefined;
  await profiles.switchToOrCreate(name);
  try {
    return await task();
  } catch (error) {
    if (created) {
      await dropIfEmpty(profiles, profiles.activeName(), previous);
    }
    throw error;
  }
}

async function dropIfEmpty(profiles: Profiles, name: string, previous: string): Promise<void> {
  try {
    if ((await profiles.manager(name)).status().kind === 'none') {
      await profiles.remove(name);
      await profiles.switchTo(previous);
    }
  } catch (error) {
    profiles.log.warn(`[profiles] could not remove "${name}", made for what failed: ${describeError(error)}`);
  }
}
