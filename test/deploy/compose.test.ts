import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import { parse } from 'yaml';

// The Compose Specification's own JSON schema, vendored with its licence (test/fixtures/compose-spec).
const schema = JSON.parse(readFileSync('test/fixtures/compose-spec/compose-spec.json', 'utf8')) as Record<
  string,
  unknown
>;
delete schema.$schema; // draft-07, Ajv's default, named by a URL Ajv does not resolve
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  read_only?: boolean;
  stop_grace_period?: string;
  volumes?: string[];
  ports?: string[];
}

function load(file: string): { services: Record<string, Service> } {
  const document = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  expect(validate(document), `${file}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
  return document;
}

describe('Compose files, against the Compose Specification schema', () => {
  it('the schema is real: it refuses a misspelt or mistyped key', () => {
    expect(validate({ services: { app: { image: 'x', read_only: 3 } } })).to.equal(false);
    expect(validate({ services: { app: { image: 'x', restrat: 'always' } } })).to.equal(false);
  });

  it('compose.yaml: one instance, read-only, its SQLite file on a volume, a stop longer than the shutdown bound', () => {
    const { services } = load('compose.yaml');
    expect(Object.keys(services)).to.deep.equal(['sip-reset']);
    const app = services['sip-reset'] as Service;
    expect(app.build).to.equal('.');
    expect(app.read_only).to.equal(true);
    expect(app.environment?.DATABASE_URL).to.equal('/data/sip-reset.sqlite');
    expect(app.volumes).to.deep.equal(['sip-reset-data:/data']);
    expect(parseInt(app.stop_grace_period ?? '0', 10), 'seconds, above the default 60 s').to.be.greaterThan(
      60,
    );
  });

  it('compose.postgres.yaml: two instances on PostgreSQL, started once its own health check passes', () => {
    const { services } = load('compose.postgres.yaml');
    const instances = Object.keys(services).filter((name) => name.startsWith('sip-reset-'));
    expect(instances).to.have.length(2);
    expect(services.postgres?.healthcheck?.test.join(' ')).to.contain('pg_isready');
    for (const name of instances) {
      const app = services[name] as Service;
      expect(app.environment?.DATABASE_URL).to.match(/^postgres:\/\/.*@postgres:5432\//);
      expect(app.depends_on).to.deep.equal({ postgres: { condition: 'service_healthy' } });
      expect(app.read_only).to.equal(true);
    }
    expect(new Set(instances.map((name) => services[name]?.ports?.[0])).size, 'distinct host ports').to.equal(
      2,
    );
  });
});
