/**
 * Shared by the golden-path tests: the two templates of examples/templates/, the answers the tests give, and
 * rendering a template's files with the scaffolder engine (fetch and fs steps only, as a dry-run does).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/app.js';
import { renderTemplateFiles, templateFilesFromDirectory, type TemplateEntity } from '../../src/scaffolder/index.js';

export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'examples', 'templates');

/** One golden path and what a repository made from it must hold. */
export interface GoldenPath {
  name: 'typescript-service' | 'python-service';
  dir: string;
  entity: TemplateEntity;
  /** Every file the skeleton renders, sorted (worked out by listing skeleton/ by hand). */
  files: string[];
  /** The non-root uid the Dockerfile and the Deployment agree on. */
  uid: number;
}

const DEPLOY = ['deploy/deployment.yaml', 'deploy/hpa.yaml', 'deploy/pdb.yaml', 'deploy/service.yaml'];
const COMMON = ['.dockerignore', '.github/workflows/ci.yaml', '.gitignore', 'Dockerfile', 'README.md', 'catalog-info.yaml', 'docs/runbook.md', ...DEPLOY];

function load(name: GoldenPath['name'], own: string[], uid: number): GoldenPath {
  const dir = path.join(TEMPLATES_DIR, name);
  const entity = parse(readFileSync(path.join(dir, 'template.yaml'), 'utf8')) as TemplateEntity;
  return { name, dir, entity, files: [...COMMON, ...own].sort(), uid };
}

export const GOLDEN_PATHS: GoldenPath[] = [
  load('typescript-service', ['.nvmrc', 'package.json', 'src/app.test.ts', 'src/app.ts', 'src/server.ts', 'src/telemetry.ts', 'tsconfig.json'], 1000),
  load('python-service', ['.python-version', 'app/__init__.py', 'app/main.py', 'pyproject.toml', 'tests/__init__.py', 'tests/test_main.py'], 10001),
];

/** The golden path called `name`. */
export function goldenPath(name: GoldenPath['name']): GoldenPath {
  const found = GOLDEN_PATHS.find((g) => g.name === name);
  if (!found) throw new Error(`no golden path ${name}`);
  return found;
}

/** A description with quotes, an apostrophe and a non-ASCII dash: it must survive JSON, YAML, TS and Python. */
export const DESCRIPTION = 'Predicts "when" the next bike arrives — it\'s fast';

/** Answers for the form; owner and system exist in the demo catalog (examples/org, examples/systems). */
export const ANSWERS = {
  name: 'trip-eta',
  description: DESCRIPTION,
  owner: 'group:default/trips',
  system: 'system:default/trip-management',
  lifecycle: 'production',
  port: 9090,
  minReplicas: 3,
  maxReplicas: 8,
  repoUrl: 'localhost?owner=trips&repo=trip-eta',
};

/** Renders `gp` with `values` into path → text. */
export async function render(gp: GoldenPath, values: Record<string, unknown> = ANSWERS): Promise<Map<string, string>> {
  const out = await renderTemplateFiles({
    template: gp.entity,
    templateRef: `template:default/${gp.name}`,
    version: '1',
    files: templateFilesFromDirectory(gp.dir),
    values,
  });
  return new Map([...out].map(([p, b]) => [p, b.toString('utf8')]));
}
