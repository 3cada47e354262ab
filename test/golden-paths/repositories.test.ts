// The repositories the golden paths generate, checked with their own tools where that needs no download:
// the TypeScript service compiles under its own strict tsconfig and passes its own node:test suite (with Tarmac's
// TypeScript and @types/node; telemetry.ts is left out as it needs the OpenTelemetry packages), the Python
// service's files compile (`python3 -m py_compile`) and its pyproject.toml parses (tomllib).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/app.js';
import { DESCRIPTION, goldenPath, render } from './golden-paths.js';

/** Writes rendered files into a fresh temp folder. */
function materialize(files: Map<string, string>, prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('typescript-service repository', () => {
  const gp = goldenPath('typescript-service');

  it('has valid package.json and strict tsconfig.json, with OpenTelemetry', async () => {
    const files = await render(gp);
    const pkg = JSON.parse(files.get('package.json') ?? '') as { name: string; description: string; scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.name).toBe('trip-eta');
    expect(pkg.description).toBe(DESCRIPTION);
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'start', 'test', 'typecheck']);
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@opentelemetry/sdk-node', '@opentelemetry/auto-instrumentations-node']));
    const tsconfig = JSON.parse(files.get('tsconfig.json') ?? '') as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, noUncheckedIndexedAccess: true });
    expect(files.get('src/telemetry.ts')).toContain('new NodeSDK(');
  });

  it("compiles under its own strict tsconfig and passes its own tests (Tarmac's TypeScript; OTel file left out)", async () => {
    const files = await render(gp);
    const dir = materialize(files, 'tarmac-golden-ts-');
    try {
      // No npm install here: @types/node and tsc come from Tarmac's node_modules; telemetry.ts needs the OTel packages.
      const root = PROJECT_ROOT;
      writeFileSync(path.join(dir, 'tsconfig.verify.json'), JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { typeRoots: [path.join(root, 'node_modules', '@types')] },
        include: [],
        files: ['src/app.ts', 'src/server.ts', 'src/app.test.ts'],
      }));
      execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.verify.json'], { cwd: dir, stdio: 'pipe' });
      const out = execFileSync(process.execPath, ['--test', 'dist/'], { cwd: dir, stdio: 'pipe' }).toString();
      expect(out).toMatch(/^# pass 2$/m);
      expect(out).toMatch(/^# fail 0$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('python-service repository', () => {
  const gp = goldenPath('python-service');

  it('compiles every .py file and has a valid pyproject.toml with opentelemetry-distro', async () => {
    const files = await render(gp);
    const dir = materialize(files, 'tarmac-golden-py-');
    try {
      const py = [...files.keys()].filter((f) => f.endsWith('.py')).sort();
      expect(py).toEqual(['app/__init__.py', 'app/main.py', 'tests/__init__.py', 'tests/test_main.py']);
      execFileSync('python3', ['-m', 'py_compile', ...py], { cwd: dir, stdio: 'pipe' });
      const read = 'import json, sys, tomllib; print(json.dumps(tomllib.load(open("pyproject.toml", "rb"))))';
      const pyproject = JSON.parse(execFileSync('python3', ['-c', read], { cwd: dir }).toString()) as {
        project: { name: string; description: string; dependencies: string[]; 'optional-dependencies': { dev: string[] } };
      };
      expect(pyproject.project.name).toBe('trip-eta');
      expect(pyproject.project.description).toBe(DESCRIPTION);
      expect(pyproject.project.dependencies.map((d) => d.split(/[[<>=]/)[0])).toEqual(
        expect.arrayContaining(['fastapi', 'uvicorn', 'opentelemetry-distro']),
      );
      expect(pyproject.project['optional-dependencies'].dev.map((d) => d.split(/[<>=]/)[0])).toContain('pytest');
      // the description is a Python string literal the interpreter reads back unchanged
      const desc = execFileSync('python3', ['-c', 'import ast; src = open("app/main.py").read(); print([n.value.value for n in ast.parse(src).body if getattr(getattr(n, "targets", [None])[0], "id", "") == "DESCRIPTION"][0])'], { cwd: dir }).toString().trim();
      expect(desc).toBe(DESCRIPTION);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
