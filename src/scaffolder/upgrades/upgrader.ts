/**
 * Upgrading scaffolded repositories to a newer template version (issue 3, "Versions and upgrades"): clone, render
 * the old and new versions with the recorded answers, three-way merge, commit on `tarmac/upgrade-<name>-v<N>`, push,
 * and open a pull/merge request where the host has one. Conflicts are reported, never hidden (docs/upgrades.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import type { AuditRecorder } from '../../core/auth.js';
import type { TarmacConfig } from '../../core/config.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { TemplateVersion, VersionStore } from '../versions/index.js';
import { applyMerge, readRepositoryFiles } from './worktree.js';
import { cloneHasRemoteBranch, cloneHeadBranch, gitFor, gitStep, remoteOf } from './git.js';
import { mergeFileSets } from './merge.js';
import { ORIGIN_PATH, readOrigin, writeOrigin } from './origin.js';
import { createRenderCache, type RenderCache } from './render-cache.js';
import type { RepositoryStore } from './repositories.js';
import type { ScaffoldedRepository, UpgradeAllSummary, UpgradeResult } from './types.js';

/** Opens a pull request (GitHub) or merge request (GitLab) for a pushed branch; returns its web URL. */
export type ChangeRequestOpener = (input: {
  publisher: 'github' | 'gitlab';
  repoUrl: string;
  branch: string;
  baseBranch: string;
  title: string;
  body: string;
}) => Promise<{ url: string }>;

/** What the upgrader needs. */
export interface UpgraderDeps {
  versions: VersionStore;
  repositories: RepositoryStore;
  logger: Logger;
  audit: AuditRecorder;
  /** `dataDir` (publish:git bare repositories), `integrations` (tokens), `scaffolder` (render limits). */
  config: TarmacConfig;
  /** H6's `openChangeRequest`; without it github/gitlab upgrades push the branch and report no URL. */
  openChangeRequest?: ChangeRequestOpener;
  /** Tarmac's version written into the origin file. */
  tarmacVersion: string;
}

/** Who asks for an upgrade (for the audit log). */
export interface UpgradeCaller {
  actor: string;
  requestId?: string;
  ip?: string;
}

/** Options of one upgrade. */
export interface UpgradeOptions extends UpgradeCaller {
  repo: ScaffoldedRepository;
  /** A recorded version id; default the template's latest. */
  targetVersion?: string;
  /** Commit conflict markers on the branch and push it anyway (the result lists the files). Default false. */
  allowConflicts?: boolean;
}

/** Upgrades one repository or all of a template's. */
export interface Upgrader {
  /** Never throws for a repository problem: the result says `failed` with `error`. Records the result and audits. */
  upgradeRepository(o: UpgradeOptions & { cache?: RenderCache }): Promise<UpgradeResult>;
  /**
   * Upgrades every recorded repository of `templateRef` to its latest version, `concurrency` at once (2–4,
   * default 4), calling `onProgress` after each. Renders are shared across repositories.
   */
  upgradeAll(
    templateRef: string,
    o: UpgradeCaller & { allowConflicts?: boolean; concurrency?: number; onProgress?: (done: number, total: number, r: UpgradeResult) => void },
  ): Promise<UpgradeAllSummary>;
}

/** The name part of `template:<ns>/<name>`, safe for a branch name. */
function templateName(templateRef: string): string {
  return (templateRef.split('/').pop() ?? 'template').replace(/[^A-Za-z0-9._-]/g, '-');
}

/** Builds the upgrader. */
export function createUpgrader(deps: UpgraderDeps): Upgrader {
  const limits = { maxFiles: deps.config.scaffolder.maxFiles, maxTotalBytes: deps.config.scaffolder.maxTotalBytes };

  async function target(templateRef: string, wanted?: string): Promise<TemplateVersion> {
    const v = wanted ? await deps.versions.find(templateRef, wanted) : await deps.versions.latest(templateRef);
    if (!v) throw new Error(wanted ? `version ${wanted} of ${templateRef} is not recorded` : `${templateRef} has no recorded versions`);
    return v;
  }

  async function upgradeIn(work: string, o: UpgradeOptions, cache: RenderCache, result: UpgradeResult): Promise<void> {
    const { repo } = o;
    const to = await target(repo.templateRef, o.targetVersion);
    Object.assign(result, { toVersion: to.version, toNumber: to.number });
    const remote = remoteOf(repo, deps.config);
    const clone = path.join(work, 'repo');
    await gitStep('clone', remote, () => gitFor(work, remote).clone(remote.url, clone, ['--quiet', '--no-tags']));
    const origin = await readOrigin(clone);
    if (!origin) throw new Error(`the repository has no ${ORIGIN_PATH}: it cannot be upgraded (was it made by Tarmac?)`);
    if (origin.templateRef.toLowerCase() !== repo.templateRef) {
      throw new Error(`${ORIGIN_PATH} names ${origin.templateRef}, but the repository is recorded for ${repo.templateRef}`);
    }
    const from = await deps.versions.find(repo.templateRef, origin.version);
    Object.assign(result, { fromVersion: origin.version, fromNumber: from?.number ?? null });
    // The default branch is the truth (the team may have merged an earlier upgrade): keep the record in step.
    if (repo.version !== origin.version) await deps.repositories.setVersion(repo.repoUrl, origin.version);
    if (origin.version === to.version) {
      result.status = 'current';
      return;
    }
    if (!from) throw new Error(`the repository is on version ${origin.version}, which Tarmac never recorded: cannot compute the difference`);
    const [base, theirs] = await Promise.all([
      cache.render(repo.templateRef, from.version, origin.values),
      cache.render(repo.templateRef, to.version, origin.values),
    ]);
    const paths = new Set([...base.keys(), ...theirs.keys()].filter((p) => p !== ORIGIN_PATH));
    const ours = await readRepositoryFiles(clone, paths);
    const drop = (m: ReadonlyMap<string, Buffer>) => new Map([...m].filter(([p]) => p !== ORIGIN_PATH));
    const merged = mergeFileSets({
      base: drop(base),
      ours,
      theirs: drop(theirs),
      labels: { base: `template v${from.number}`, theirs: `template v${to.number}` },
    });
    result.files = merged.changes;
    if (merged.conflicts.length > 0) result.conflicts = merged.conflicts;
    result.branch = `tarmac/upgrade-${templateName(repo.templateRef)}-v${to.number}`;
    if (merged.conflicts.length > 0 && !o.allowConflicts) {
      result.status = 'conflicts';
      result.message = `${merged.conflicts.length} file(s) conflict; nothing was pushed (allowConflicts commits the markers on ${result.branch})`;
      delete result.branch;
      return;
    }
    const git = gitFor(clone, remote);
    if (await cloneHasRemoteBranch(clone, result.branch)) {
      result.status = merged.conflicts.length > 0 ? 'conflicts' : 'upgraded';
      result.message = `branch ${result.branch} already exists on the remote; left unchanged`;
      return;
    }
    await applyMerge(clone, merged);
    await writeOrigin(clone, { ...origin, version: to.version, tarmacVersion: deps.tarmacVersion, upgradedAt: new Date().toISOString() });
    const baseBranch = await cloneHeadBranch(clone);
    const title = `Upgrade ${templateName(repo.templateRef)} template to v${to.number}`;
    const conflictNote = merged.conflicts.length
      ? `\n\nCONFLICTS (markers committed, resolve before merging):\n${merged.conflicts.map((p) => `- ${p}`).join('\n')}`
      : '';
    const body = `${repo.templateRef}: v${from.number} (${from.version}) → v${to.number} (${to.version}), three-way merged by Tarmac.${conflictNote}`;
    // Committed on the clone's default branch and pushed as the new branch: one git process fewer per repository.
    // --force: a fresh clone holds no ignored files but the ones the template renders, which must not be lost.
    await git.raw(['add', '--all', '--force']);
    await git.raw(['commit', '--no-verify', '--quiet', '-m', title, '-m', body]);
    await gitStep('push', remote, () => git.raw(['push', '--quiet', 'origin', `HEAD:refs/heads/${result.branch}`]));
    result.status = merged.conflicts.length > 0 ? 'conflicts' : 'upgraded';
    if (merged.conflicts.length > 0) {
      result.conflictMarkersCommitted = true;
      result.message = `conflict markers committed on ${result.branch} in ${merged.conflicts.length} file(s): resolve them before merging`;
    }
    if (repo.publisher !== 'git' && deps.openChangeRequest) {
      try {
        const cr = await deps.openChangeRequest({ publisher: repo.publisher, repoUrl: repo.repoUrl, branch: result.branch, baseBranch, title, body });
        result.changeRequestUrl = cr.url;
      } catch (err) {
        // The branch is pushed and stays useful: report the request's failure rather than call the upgrade failed.
        result.message = [result.message, `branch pushed, but opening the pull/merge request failed: ${errorMessage(err)}`].filter(Boolean).join('; ');
      }
    }
  }

  async function upgradeRepository(o: UpgradeOptions & { cache?: RenderCache }): Promise<UpgradeResult> {
    const { repo } = o;
    const result: UpgradeResult = {
      status: 'failed',
      repo: repo.repoUrl,
      ...(repo.componentRef ? { componentRef: repo.componentRef } : {}),
      fromVersion: repo.version,
      toVersion: o.targetVersion ?? repo.version,
      files: [],
    };
    const work = await mkdtemp(path.join(os.tmpdir(), 'tarmac-upgrade-'));
    try {
      await upgradeIn(work, o, o.cache ?? createRenderCache(deps.versions, limits), result);
    } catch (err) {
      result.status = 'failed';
      result.error = errorMessage(err);
      deps.logger.warn('template upgrade failed', { repo: repo.repoUrl, templateRef: repo.templateRef, error: result.error });
    } finally {
      await rm(work, { recursive: true, force: true }).catch(() => undefined);
    }
    await deps.repositories.recordUpgrade(repo.repoUrl, {
      status: result.status,
      fromVersion: result.fromVersion,
      toVersion: result.toVersion,
      ...(result.branch ? { branch: result.branch } : {}),
      ...(result.conflicts ? { conflicts: result.conflicts } : {}),
      ...(result.changeRequestUrl ? { changeRequestUrl: result.changeRequestUrl } : {}),
      ...(result.error ? { error: result.error } : {}),
      at: new Date().toISOString(),
    });
    await deps.audit.record({
      actor: o.actor,
      action: 'template.upgrade',
      resource: repo.componentRef ?? `repository:${repo.repoUrl}`,
      outcome: result.status === 'failed' ? 'failure' : 'success',
      requestId: o.requestId,
      ip: o.ip,
      summary: {
        templateRef: repo.templateRef,
        repoUrl: repo.repoUrl,
        status: result.status,
        from: result.fromVersion,
        to: result.toVersion,
        ...(result.branch ? { branch: result.branch } : {}),
        conflicts: result.conflicts?.length ?? 0,
      },
    });
    return result;
  }

  return {
    upgradeRepository,
    async upgradeAll(templateRef, o) {
      const repos = await deps.repositories.listByTemplate(templateRef);
      const cache = createRenderCache(deps.versions, limits);
      const limit = pLimit(Math.min(4, Math.max(2, o.concurrency ?? 4)));
      const latest = await deps.versions.latest(templateRef);
      let done = 0;
      const results = await Promise.all(
        repos.map((repo) =>
          limit(async () => {
            const r = await upgradeRepository({ ...o, repo, cache, ...(latest ? { targetVersion: latest.version } : {}) });
            done += 1;
            o.onProgress?.(done, repos.length, r);
            return r;
          }),
        ),
      );
      const count = (s: UpgradeResult['status']) => results.filter((r) => r.status === s).length;
      return { upgraded: count('upgraded'), conflicts: count('conflicts'), current: count('current'), failed: count('failed'), results };
    },
  };
}
