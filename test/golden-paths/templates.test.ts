// Tarmac's own golden paths (examples/templates/): each template renders, with chosen answers, a repository that
// would pass a platform review. Kubernetes manifests are validated against the Kubernetes OpenAPI schemas
// (kubernetes-models); expected values are worked out from the answers and the skeleton, by hand.
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { isTarmacError } from '../../src/core/errors.js';
import { validateParameters } from '../../src/scaffolder/index.js';
import { ANSWERS, DESCRIPTION, GOLDEN_PATHS, render } from './golden-paths.js';

/** Kubernetes kinds the manifests may hold, by `apiVersion/kind`, with their schema-validating model. */
const MODELS: Record<string, (o: object) => { validate(): void }> = {
  'apps/v1/Deployment': (o) => new Deployment(o as never),
  'v1/Service': (o) => new Service(o as never),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o as never),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never),
};

interface K8sObject { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec: Record<string, unknown> }
// Only the fields the assertions read.
interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      securityContext: Record<string, unknown>;
      containers: Array<{
        image: string;
        ports: Array<{ name: string; containerPort: number }>;
        env: Array<{ name: string; value: string }>;
        resources: { requests: Record<string, string>; limits: Record<string, string> };
        readinessProbe: { httpGet: { path: string; port: string } };
        livenessProbe: { httpGet: { path: string; port: string } };
        securityContext: Record<string, unknown>;
      }>;
    };
  };
}

/** Parses every document of every deploy/ file and validates it against its Kubernetes schema. */
function manifests(files: Map<string, string>): Map<string, K8sObject> {
  const byKind = new Map<string, K8sObject>();
  for (const [file, text] of files) {
    if (!file.startsWith('deploy/')) continue;
    for (const doc of parseAllDocuments(text)) {
      expect(doc.errors, file).toEqual([]);
      const obj = doc.toJS() as K8sObject;
      const model = MODELS[`${obj.apiVersion}/${obj.kind}`];
      if (!model) throw new Error(`${file}: unexpected ${obj.apiVersion} ${obj.kind}`);
      expect(() => model(obj).validate(), `${file} ${obj.kind}`).not.toThrow();
      byKind.set(obj.kind, obj);
    }
  }
  return byKind;
}

describe.each(GOLDEN_PATHS)('golden path $name', (gp) => {
  it('is a versioned v1beta3 Template: picker fields, local publisher, register, output links', () => {
    const t = gp.entity;
    expect(t.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(t.kind).toBe('Template');
    expect(t.metadata.annotations?.['tarmac.dev/template-version']).toBe('1');
    expect(t.spec.steps.map((s) => `${s.id}:${s.action}`)).toEqual(['fetch:fetch:template', 'publish:publish:git', 'register:catalog:register']);
    const props = Object.assign({}, ...(t.spec.parameters as Array<{ properties: object }>).map((p) => p.properties)) as Record<string, Record<string, unknown>>;
    expect(props.name?.['ui:field']).toBe('EntityNamePicker');
    expect(props.owner).toMatchObject({ 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: 'Group' } } });
    expect(props.system).toMatchObject({ 'ui:field': 'EntityPicker', 'ui:options': { catalogFilter: { kind: 'System' } } });
    expect(props.repoUrl).toMatchObject({ 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['localhost'] } });
    expect(t.spec.output).toEqual({
      links: [
        { title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' },
        { title: 'Open in catalog', icon: 'catalog', entityRef: '${{ steps.register.output.entityRef }}' },
      ],
    });
  });

  it('accepts the answers and gives a form error for a bad name', () => {
    expect(() => validateParameters(gp.entity, ANSWERS)).not.toThrow();
    const { name, description, owner, system, repoUrl } = ANSWERS;
    expect(() => validateParameters(gp.entity, { name, description, owner, system, repoUrl })).not.toThrow();
    let err: unknown;
    try {
      validateParameters(gp.entity, { ...ANSWERS, name: 'Trip_ETA' });
    } catch (e) {
      err = e;
    }
    expect(isTarmacError(err, 'VALIDATION_FAILED')).toBe(true);
  });

  it('renders every skeleton file, with no expression left outside the CI workflow', async () => {
    const files = await render(gp);
    expect([...files.keys()].sort()).toEqual(gp.files);
    for (const [file, text] of files) {
      if (file === '.github/workflows/ci.yaml') continue;
      expect(text, file).not.toMatch(/\$\{\{|\{%|values\./);
    }
    // copied verbatim: GitHub Actions evaluates these, not Tarmac
    expect(files.get('.github/workflows/ci.yaml')).toContain('images: ghcr.io/${{ github.repository }}');
  });

  it('renders Kubernetes manifests that are schema-valid and hardened', async () => {
    const k8s = manifests(await render(gp));
    expect([...k8s.keys()].sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service']);
    const deployment = k8s.get('Deployment') as K8sObject;
    const spec = deployment.spec as unknown as DeploymentSpec;
    const labels = { 'app.kubernetes.io/name': 'trip-eta' };
    expect(deployment.metadata.name).toBe('trip-eta');
    expect(spec.replicas).toBe(3);
    expect(spec.selector.matchLabels).toEqual(labels);
    expect(spec.template.metadata.labels).toEqual({ ...labels, 'app.kubernetes.io/part-of': 'trip-management', 'backstage.io/kubernetes-id': 'trip-eta' });
    expect(spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: gp.uid, runAsGroup: gp.uid, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.template.spec.containers).toHaveLength(1);
    const [c] = spec.template.spec.containers;
    expect(c?.image).toBe('ghcr.io/trips/trip-eta:main');
    expect(c?.ports).toEqual([{ name: 'http', containerPort: 9090, protocol: 'TCP' }]);
    expect(c?.env).toContainEqual({ name: 'PORT', value: '9090' });
    expect(c?.env).toContainEqual({ name: 'OTEL_SERVICE_NAME', value: 'trip-eta' });
    expect(Object.keys(c?.resources.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(c?.resources.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(c?.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c?.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c?.securityContext).toEqual({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });

    const service = k8s.get('Service') as K8sObject;
    expect(service.spec).toMatchObject({ selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    const hpa = k8s.get('HorizontalPodAutoscaler') as K8sObject;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'trip-eta' }, minReplicas: 3, maxReplicas: 8 });
    const pdb = k8s.get('PodDisruptionBudget') as K8sObject;
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: labels } });
  });

  it('fills the form defaults (port 8080, 2-6 replicas, experimental) when only the required answers are given', async () => {
    const { name, description, owner, system, repoUrl } = ANSWERS;
    const files = await render(gp, { name, description, owner, system, repoUrl });
    const k8s = manifests(files);
    const spec = k8s.get('Deployment')?.spec as unknown as DeploymentSpec;
    expect(spec.replicas).toBe(2);
    expect(spec.template.spec.containers[0]?.ports[0]?.containerPort).toBe(8080);
    expect(k8s.get('HorizontalPodAutoscaler')?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect((parse(files.get('catalog-info.yaml') ?? '') as { spec: { lifecycle: string } }).spec.lifecycle).toBe('experimental');
  });

  it('never renders an HPA whose maximum is below its minimum', async () => {
    const k8s = manifests(await render(gp, { ...ANSWERS, minReplicas: 5, maxReplicas: 2 }));
    expect(k8s.get('HorizontalPodAutoscaler')?.spec).toMatchObject({ minReplicas: 5, maxReplicas: 5 });
  });

  it('renders catalog-info.yaml as the component, tied to its repository and template', async () => {
    const entity: unknown = parse((await render(gp)).get('catalog-info.yaml') ?? '');
    const repo = 'http://localhost:7007/git/trips/trip-eta';
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'trip-eta',
        description: DESCRIPTION,
        annotations: {
          'backstage.io/source-location': `url:${repo}/blob/main/`,
          'backstage.io/kubernetes-id': 'trip-eta',
          'tarmac.dev/template': `template:default/${gp.name}`,
        },
        tags: gp.name === 'typescript-service' ? ['typescript', 'nodejs', 'http'] : ['python', 'fastapi', 'http'],
        links: [
          { url: `${repo}.git`, title: 'Repository', icon: 'github' },
          { url: `${repo}/blob/main/docs/runbook.md`, title: 'Runbook', icon: 'docs' },
        ],
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'group:default/trips', system: 'system:default/trip-management' },
    });
  });

  it('has a multi-stage Dockerfile on a pinned base image, running as a non-root uid', async () => {
    const dockerfile = (await render(gp)).get('Dockerfile') ?? '';
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^ARG (NODE|PYTHON)_IMAGE=(node|python):\d+\.\d+\.\d+-[a-z-]+$/m);
    expect(dockerfile).toMatch(new RegExp(`^USER ${gp.uid}:${gp.uid}$`, 'm'));
    expect(dockerfile).toMatch(/^EXPOSE 9090$/m);
  });

  it('has a CI workflow that builds, tests, scans and pushes the image to ghcr.io', async () => {
    const ci = parse((await render(gp)).get('.github/workflows/ci.yaml') ?? '') as {
      jobs: Record<string, { needs?: string; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
    };
    const steps = Object.values(ci.jobs).flatMap((j) => j.steps);
    const uses = steps.map((s) => s.uses?.split('@')[0]);
    expect(uses).toEqual(expect.arrayContaining(['actions/checkout', 'aquasecurity/trivy-action', 'docker/build-push-action', 'docker/login-action']));
    expect(steps.some((s) => /npm test|pytest/.test(s.run ?? ''))).toBe(true);
    expect(ci.jobs.image?.needs).toBe('build-test');
    const push = steps.find((s) => s.uses?.startsWith('docker/build-push-action') && s.with?.push !== undefined);
    expect(push?.with?.tags).toBe('${{ steps.meta.outputs.tags }}');
    expect(steps.find((s) => s.uses?.startsWith('docker/login-action'))?.with?.registry).toBe('ghcr.io');
  });
});
