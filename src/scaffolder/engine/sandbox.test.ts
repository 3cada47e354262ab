/**
 * The sandbox (issue 3 "Safety"): known Nunjucks escapes fail with a clear TarmacError, the process environment
 * never appears in output; and the filters / typing rules templates rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TarmacError, isTarmacError } from '../../core/errors.js';
import { renderFileContent, renderString, renderValue } from './index.js';

const CANARY = 'tarmac-canary-3b1f9e';
beforeAll(() => {
  process.env.TARMAC_SANDBOX_CANARY = CANARY;
});
afterAll(() => {
  delete process.env.TARMAC_SANDBOX_CANARY;
});

const ctx = {
  parameters: { name: 'svc', list: [1, 2], flag: true, repoUrl: 'github.com?owner=acme&repo=svc', owner: 'team-a' },
  steps: { publish: { output: { remoteUrl: 'http://x/r.git' } } },
  user: { ref: 'user:default/ada' },
  secrets: {},
};

const PAYLOADS = [
  '${{ range.constructor("return process.env")() }}',
  '${{ range.constructor("return process")().env.TARMAC_SANDBOX_CANARY }}',
  "${{ ''.constructor.constructor('return process.env')() }}",
  '${{ cycler.constructor("return process")() }}',
  '${{ joiner.constructor("return process")() }}',
  '${{ cycler(1).next.constructor("return process")() }}',
  '${{ parameters.constructor.constructor("return process")() }}',
  '${{ parameters["constr" + "uctor"]["constr" + "uctor"]("return process")() }}',
  '${{ parameters.__proto__.constructor }}',
  '${{ parameters.list.__proto__ }}',
  '${{ parameters.name.constructor.prototype }}',
  '${{ constructor("return process")() }}',
  '${{ toString.constructor("return process")() }}',
  '${{ parameters.name.toString.call }}()',
  '${{ parameters | pick("constructor.constructor") }}',
  '{% set c = "constructor" %}${{ range[c][c]("return process")() }}',
  '{% include "/etc/passwd" %}',
  '{% import "/etc/passwd" as x %}',
  '{% extends "/etc/passwd" %}',
  '${{ lipsum.constructor("return process")() }}',
  '{% for i in range(20000) %}x{% endfor %}',
  '{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}',
];

describe('sandbox', () => {
  it.each(PAYLOADS)('refuses %s', (payload) => {
    let out: string | undefined;
    let error: unknown;
    try {
      out = renderString(payload, ctx);
    } catch (err) {
      error = err;
    }
    if (out !== undefined) expect(out).not.toContain(CANARY);
    // every payload fails, except reading an absent member which renders empty
    if (payload === '${{ parameters.name.toString.call }}()') return expect(out).toBe('()');
    expect(isTarmacError(error, 'BAD_REQUEST')).toBe(true);
    expect((error as TarmacError).message).toMatch(/^Template expression (refused|failed)/);
    expect((error as TarmacError).message).not.toContain(CANARY);
  });

  it('names the reason', () => {
    expect(() => renderString('${{ range.constructor }}', ctx)).toThrow('Template expression refused: access to "constructor" is not allowed in templates');
    expect(() => renderString('{% include "x" %}', ctx)).toThrow('"include" tags are not allowed');
    expect(() => renderString('{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}', ctx)).toThrow(
      'loops ran more than 100000 iterations',
    );
  });

  it('refuses escapes in skeleton file contents too', () => {
    expect(() => renderFileContent('${{ values.name.constructor.constructor("return process")() }}', { name: 'x' })).toThrow(TarmacError);
    expect(() => renderFileContent('{{ cookiecutter.name.__proto__ }}', { name: 'x' }, { cookiecutterCompat: true })).toThrow('"__proto__"');
  });

  it('leaves the real Nunjucks runtime untouched after rendering', async () => {
    renderString('${{ parameters.name }}', ctx);
    const nunjucks = (await import('nunjucks')).default;
    expect(nunjucks.renderString('{{ s.toUpperCase() }}', { s: 'ok' })).toBe('OK');
  });
});

describe('expressions', () => {
  it('renders values, steps outputs, user and standard filters', () => {
    expect(renderString('${{ parameters.name | upper }}-${{ steps.publish.output.remoteUrl }}', ctx)).toBe('SVC-http://x/r.git');
    expect(renderString("${{ steps['publish'].output.remoteUrl }}", ctx)).toBe('http://x/r.git');
    expect(renderString('${{ user.ref }}', ctx)).toBe('user:default/ada');
    expect(renderString('${{ parameters.missing | default("none") }}|${{ parameters.list | join(",") }}|${{ parameters.list | length }}', ctx)).toBe('none|1,2|2');
    expect(renderString('${{ "a-b" | replace("-", "_") }} ${{ "Hi" | lower }} ${{ parameters.list | dump }}', ctx)).toBe('a_b hi [1,2]');
    expect(renderString('${{ parameters.flag !== true }}', ctx)).toBe('false');
    expect(renderString('{% if parameters.flag %}yes{% endif %}', ctx)).toBe('yes');
    expect(renderString('${{ parameters.name.split("v") | join("+") }}', ctx)).toBe('s+c');
  });

  it('supports loops, macros with caller, set and raw blocks', () => {
    const c = { parameters: { list: ['a', 'b'], obj: { b: 2, a: 1 } } };
    expect(renderString('{% for x in parameters.list %}${{ loop.index }}${{ x }}{% if loop.last %}!{% endif %}{% endfor %}', c)).toBe('1a2b!');
    expect(renderString('{% for k, v in parameters.obj %}${{ k }}=${{ v }};{% endfor %}', c)).toBe('b=2;a=1;');
    expect(renderString('{% macro wrap() %}[${{ caller() }}]{% endmacro %}{% call wrap() %}in{% endcall %}', c)).toBe('[in]');
    expect(renderString('{% set x = [3, 4] %}${{ x | first }}${{ x | last }}', c)).toBe('34');
    expect(renderString('{% raw %}${{ kept }}{% endraw %}', c)).toBe('${{ kept }}');
  });

  it('parseRepoUrl, projectSlug, parseEntityRef and pick', () => {
    expect(renderValue('${{ parameters.repoUrl | parseRepoUrl }}', ctx)).toEqual({ host: 'github.com', owner: 'acme', repo: 'svc' });
    expect(renderValue('${{ "dev.azure.com?organization=o&project=p&repo=r" | parseRepoUrl }}', ctx)).toEqual({
      host: 'dev.azure.com', organization: 'o', project: 'p', repo: 'r',
    });
    expect(renderString('${{ parameters.repoUrl | projectSlug }}', ctx)).toBe('acme/svc');
    expect(renderValue('${{ parameters.owner | parseEntityRef({ defaultKind: "group" }) }}', ctx)).toEqual({ kind: 'group', namespace: 'default', name: 'team-a' });
    expect(renderValue('${{ "user:ns/ada" | parseEntityRef }}', ctx)).toEqual({ kind: 'user', namespace: 'ns', name: 'ada' });
    expect(renderString('${{ parameters.owner | parseEntityRef(defaultKind="group", defaultNamespace="ops") | pick("namespace") }}', ctx)).toBe('ops');
    expect(() => renderString('${{ parameters.owner | parseEntityRef }}', ctx)).toThrow('had missing or empty kind');
    expect(() => renderString('${{ "github.com?owner=o" | parseRepoUrl }}', ctx)).toThrow('missing repo');
  });

  it('keeps the type of a value that is one whole expression; drops keys rendering empty', () => {
    const out = renderValue(
      { list: '${{ parameters.list }}', flag: '${{ parameters.flag }}', gone: '${{ parameters.missing }}', text: 'n=${{ parameters.name }}', n: 3, nested: ['${{ parameters.list | length }}'] },
      ctx,
    );
    expect(out).toEqual({ list: [1, 2], flag: true, text: 'n=svc', n: 3, nested: [2] });
  });
});
