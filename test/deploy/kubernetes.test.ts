import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

// The Kubernetes API's own schemas, as the kubernetes-models package ships them (validated with Ajv).
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
};
const ROOT = 'deploy/kubernetes';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked against the API schema first
  spec?: any;
  data?: Record<string, string>;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}

function documents(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as Manifest);
}

/** The objects an overlay applies, as `kubectl apply -k` gathers them (resources, recursively). */
function build(dir: string): Manifest[] {
  const kustomization = documents(join(dir, 'kustomization.yaml'))[0] as unknown as { resources: string[] };
  return kustomization.resources.flatMap((resource) => {
    const path = resolve(dir, resource);
    return statSync(path).isDirectory() ? build(path) : documents(path);
  });
}

function validate(manifest: Manifest): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no API schema here for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

describe('deploy/kubernetes, against the Kubernetes API schemas (kubernetes-models)', () => {
  const files = yamlFiles(ROOT).filter((file) => !file.endsWith('kustomization.yaml'));

  it('the schemas are real: a misspelt or mistyped field is refused', () => {
    const deployment = documents(join(ROOT, 'base/deployment.yaml'))[0] as Manifest;
    expect(() => validate({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).to.throw(
      /replicas/,
    );
    expect(() => validate({ ...deployment, spec: { ...deployment.spec, selector: undefined } })).to.throw(
      /selector/,
    );
  });

  it('every manifest is a valid API object', () => {
    expect(files.length).to.be.at.least(5);
    for (const file of files) {
      for (const manifest of documents(file)) expect(() => validate(manifest), file).not.to.throw();
    }
  });

  for (const overlay of ['http', 'socket-mode']) {
    describe(`the ${overlay} overlay`, () => {
      const objects = build(join(ROOT, overlay));
      const deployment = objects.find((o) => o.kind === 'Deployment') as Manifest;
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];

      it('probes /readyz for readiness and /healthz for liveness', () => {
        expect(container.readinessProbe.httpGet.path).to.equal('/readyz');
        expect(container.livenessProbe.httpGet.path).to.equal('/healthz');
        // Liveness never fails a graceful stop (when /healthz answers 503) within the grace period.
        const { periodSeconds, failureThreshold } = container.livenessProbe;
        expect(periodSeconds * failureThreshold).to.be.greaterThan(pod.terminationGracePeriodSeconds);
      });

      it('waits longer than SIP_RESET_SHUTDOWN_TIMEOUT_MS, reading its settings from a ConfigMap and a Secret', () => {
        const config = objects.find((o) => o.kind === 'ConfigMap') as Manifest;
        const shutdownMs = Number(config.data?.SIP_RESET_SHUTDOWN_TIMEOUT_MS);
        expect(shutdownMs).to.be.greaterThan(0);
        expect(pod.terminationGracePeriodSeconds * 1000).to.be.greaterThan(shutdownMs);
        expect(container.envFrom).to.deep.equal([
          { configMapRef: { name: config.metadata.name } },
          { secretRef: { name: 'sip-reset-secrets' } },
        ]);
        expect(documents(join(ROOT, 'secret.example.yaml'))[0]?.metadata.name).to.equal('sip-reset-secrets');
      });

      it('runs restricted: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
        expect(pod.securityContext).to.include({ runAsNonRoot: true });
        expect(pod.securityContext.seccompProfile).to.deep.equal({ type: 'RuntimeDefault' });
        expect(container.securityContext).to.deep.include({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests).to.have.keys('cpu', 'memory');
        expect(container.resources.limits).to.have.property('memory');
      });

      it('has a PodDisruptionBudget over its pods', () => {
        const budget = objects.find((o) => o.kind === 'PodDisruptionBudget') as Manifest;
        expect(budget.spec.selector).to.deep.equal(deployment.spec.selector);
        expect(budget.spec.minAvailable).to.be.lessThan(deployment.spec.replicas);
      });

      it(overlay === 'http' ? 'has a Service to its HTTP port' : 'has no Service: it connects out', () => {
        const services = objects.filter((o) => o.kind === 'Service');
        if (overlay === 'socket-mode') {
          expect(services).to.deep.equal([]);
          return;
        }
        expect(services).to.have.length(1);
        expect(services[0]?.spec.selector).to.deep.equal(deployment.spec.selector.matchLabels);
        expect(services[0]?.spec.ports[0].targetPort).to.equal(container.ports[0].name);
      });

      it('applies only valid objects', () => {
        for (const object of objects) expect(() => validate(object)).not.to.throw();
      });
    });
  }
});
