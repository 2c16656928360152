import { ConfigError, parseConfig } from './config.js';

const base = {
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  BLIND_INDEX_KEY: 'y'.repeat(40),
};

describe('configuration is validated at boot', () => {
  it('parses a good environment into typed settings', () => {
    const c = parseConfig({ ...base, PORT: '8080', DATABASE_URL: 'postgres://u@h/db', MFA_REQUIRED: 'true' });
    expect(c.port).toBe(8080);
    expect(c.auth.mfaRequired).toBe(true);
    expect(c.crypto.activeKey).toBe('k1');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['MFA_REQUIRED', { MFA_REQUIRED: 'yes please' }],
    ['ENCRYPTION_KEYS', { ENCRYPTION_KEYS: 'no-colon' }],
    ['ENCRYPTION_KEYS', { ENCRYPTION_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` }],
    ['ENCRYPTION_ACTIVE_KEY', { ENCRYPTION_ACTIVE_KEY: 'k9' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail' }],
  ])('names %s when it is malformed', (name, env) => {
    expect(() => parseConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, ...env })).toThrow(new RegExp(name));
  });

  it('requires the secrets in production and names each missing one', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required[\s\S]*ENCRYPTION_KEYS: required[\s\S]*BLIND_INDEX_KEY: required/);
  });

  it('outside production, generates missing secrets through the given source', () => {
    const c = parseConfig({}, () => base);
    expect(c.auth.jwtSecret).toBe(base.JWT_SECRET);
  });

  describe('production refuses to boot insecure (issue #12, finding 8)', () => {
    it.each([[{}], [{ PUBLIC_URL: 'http://tawjih.example.ma' }]])('refuses %j without https, naming PUBLIC_URL and the way out', (env) => {
      expect(() => parseConfig({ ...base, NODE_ENV: 'production', ...env })).toThrow(/PUBLIC_URL: production requires an https:\/\/ URL[\s\S]*ALLOW_INSECURE_HTTP=true/);
    });
    it('boots with an https PUBLIC_URL', () => {
      const c = parseConfig({ ...base, NODE_ENV: 'production', PUBLIC_URL: 'https://tawjih.example.ma' });
      expect(c.http.allowInsecure).toBe(false);
    });
    it('boots over http only when ALLOW_INSECURE_HTTP=true says so (and the app logs it)', () => {
      const c = parseConfig({ ...base, NODE_ENV: 'production', PUBLIC_URL: 'http://10.0.0.5:3000', ALLOW_INSECURE_HTTP: 'true' });
      expect(c.http.allowInsecure).toBe(true);
      expect(c.publicUrl).toBe('http://10.0.0.5:3000');
    });
    it('leaves development and test alone', () => {
      expect(parseConfig({ ...base, PUBLIC_URL: 'http://localhost:3000' }).publicUrl).toBe('http://localhost:3000');
    });
  });
});
