import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../../src/errors.js';
import { loadRemoteConfig, namespaceNames, sanitizeNamespace } from '../../../src/runtime/remote/config.js';
import { scratchDir } from '../../helpers.js';

function withFile(text: string): string {
  const dir = scratchDir('remote-config');
  fs.writeFileSync(path.join(dir, 'lab.config.yaml'), text);
  return dir;
}

function errorOf(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected a LabError');
}

describe('remote runtime configuration', () => {
  it('reads endpoints from lab.config.yaml; the environment overrides them', () => {
    const dir = withFile('remote:\n  namespace: Alice.Smith\n  postgres:\n    url: postgres://alice@db.internal:5432/shop\n  kafka:\n    brokers: [k1:9092, k2:9092]\n');
    const config = loadRemoteConfig(dir, {});
    expect(config).toMatchObject({ namespace: 'alice_smith', source: 'lab.config.yaml', sections: { postgres: { url: 'postgres://alice@db.internal:5432/shop' }, kafka: { brokers: ['k1:9092', 'k2:9092'] } } });
    const overridden = loadRemoteConfig(dir, { LAB_REMOTE_KAFKA_BROKERS: 'k9:9092', LAB_REMOTE_NAMESPACE: 'bob' });
    expect(overridden.sections.kafka).toEqual({ brokers: ['k9:9092'] });
    expect(overridden.namespace).toBe('bob');
  });

  it('LAB_CONFIG names another file; environment alone works too', () => {
    const dir = withFile('remote:\n  trino:\n    url: http://trino:8080\n');
    fs.renameSync(path.join(dir, 'lab.config.yaml'), path.join(dir, 'team.yaml'));
    expect(loadRemoteConfig(dir, { LAB_CONFIG: 'team.yaml' }).sections.trino).toEqual({ url: 'http://trino:8080' });
    expect(loadRemoteConfig(scratchDir('no-config'), { LAB_REMOTE_POSTGRES_URL: 'postgres://u@h/db', LAB_REMOTE_NAMESPACE: 'x' }).source).toBe('environment');
    expect(errorOf(() => loadRemoteConfig(dir, { LAB_CONFIG: 'missing.yaml' })).message).toMatch(/LAB_CONFIG points at .*missing\.yaml, which does not exist/);
  });

  it('never takes a credential from a file or a URL', () => {
    const inFile = errorOf(() => loadRemoteConfig(withFile('remote:\n  postgres:\n    url: postgres://u@h/db\n    password: hunter2\n'), {}));
    expect(inFile.message).toMatch(/postgres: Unrecognized key/i);
    expect(inFile.hint).toMatch(/Credentials are read from environment variables/);
    const inUrl = errorOf(() => loadRemoteConfig(scratchDir('url'), { LAB_REMOTE_POSTGRES_URL: 'postgres://u:hunter2@h/db' }));
    expect(inUrl.message).toMatch(/carries a password/);
    expect(inUrl.message).not.toContain('hunter2');
    expect(inUrl.hint).toMatch(/LAB_REMOTE_POSTGRES_PASSWORD/);
  });

  it('a broken file is one line naming it', () => {
    expect(errorOf(() => loadRemoteConfig(withFile('remote: [unclosed'), {})).message).toMatch(/lab\.config\.yaml is not valid YAML/);
    expect(errorOf(() => loadRemoteConfig(withFile('remote:\n  kafka:\n    brokers: []\n'), {})).message).toMatch(/remote\.kafka\.brokers/);
  });

  it('keeps each learner in a namespace of their own', () => {
    expect(sanitizeNamespace('Dr. Who-2')).toBe('dr__who_2');
    expect(() => sanitizeNamespace('123')).toThrow(LabError);
    expect(namespaceNames('alice', 'month4')).toEqual({ schema: 'lab_alice_month4', s3Prefix: 'alice/month4/', topicPrefix: 'alice.month4.' });
  });
});
