// Pins what the rules find on the two comparison models (format.md's
// profile-upload example and pytm's sample tm.py, translated), so the
// comparison in test/fixtures/rules/comparison/README.md stays true.
import { describe, expect, it } from 'vitest';
import { checkFixture, checkModelText, edit } from './helpers.ts';

const list = (path: string) => checkFixture(path).model.findings.map((f) => `${f.id} ${f.severity}${f.unknowns.length ? ` ? ${f.unknowns.join(', ')}` : ''}`);

describe('comparison models', () => {
  it("format.md's profile-upload example", () => {
    expect(list('comparison/profile-upload.md')).toEqual([
      'human-credential-attacks@browser high',
      'malicious-file-upload@upload high',
      'missing-audit-trail@gateway medium ? elements.gateway.logs',
      'path-traversal@upload medium',
      'privileged-exposed-process@gateway medium ? elements.gateway.privileged',
      'store-without-backup@bucket medium ? elements.bucket.backed_up',
      'undeclared-parsers@gateway medium',
      'unvalidated-untrusted-input@gateway high ? elements.gateway.validates_input',
    ]);
  });

  it("pytm's sample tm.py, translated", () => {
    expect(list('comparison/pytm-sample.md')).toEqual([
      'cleartext-credentials@db-to-secret-db medium ? flows.db-to-secret-db.encrypted',
      'collection-without-awareness@user medium',
      'missing-audit-trail@lambda medium ? elements.lambda.logs',
      'missing-audit-trail@web medium ? elements.web.logs',
      'observable-communication@user-to-web low',
      'personal-data-retention@db medium',
      'personal-data-retention@secret-db medium',
      'query-injection@web high',
      'sensitive-store-unencrypted@db medium ? elements.db.encrypted',
      'sensitive-store-unencrypted@secret-db medium ? elements.secret-db.encrypted',
      'store-exposed-to-less-trusted-zone@db high',
      'store-without-backup@db medium ? elements.db.backed_up',
      'store-without-backup@secret-db medium ? elements.secret-db.backed_up',
      'unauthenticated-store-access@lambda-to-db medium ? flows.lambda-to-db.authenticated',
      'undeclared-parsers@web medium',
      'unencrypted-boundary-crossing@db-to-web high ? flows.db-to-web.encrypted',
      'unencrypted-boundary-crossing@user-to-web high',
      'unencrypted-boundary-crossing@web-to-db high ? flows.web-to-db.encrypted',
      'unencrypted-boundary-crossing@web-to-user high',
      'unvalidated-untrusted-input@web high',
    ]);
  });

  it('pytm sample with the web server in its own trusted boundary, then with `parses: [html, sql]` stated', () => {
    const { text } = checkFixture('comparison/pytm-sample.md');
    const before = new Set(checkModelText(text).model.findings.map((f) => f.id));
    const walled = edit(edit(text, '  vpc: { title: AWS VPC }', '  vpc: { title: AWS VPC }\n  web-tier: { title: Web tier }'), 'tech: Ubuntu,', 'tech: Ubuntu, boundary: web-tier,');
    const after = checkModelText(walled).model.findings.map((f) => f.id);
    expect(after.filter((id) => !before.has(id))).toEqual([
      'missing-authorization@web',
      'privileged-exposed-process@web',
      'unauthenticated-entry@user-to-web',
      'unauthenticated-store-access@db-to-web',
      'unauthenticated-store-access@web-to-db',
      'unthrottled-entry@web',
    ]);
    expect([...before].filter((id) => !after.includes(id))).toEqual(['store-exposed-to-less-trusted-zone@db', 'unencrypted-boundary-crossing@db-to-web', 'unencrypted-boundary-crossing@web-to-db']);
    const parsing = checkModelText(edit(walled, 'authorizes: false }', 'authorizes: false, parses: [html, sql] }')).model.findings.map((f) => f.id);
    expect(parsing.filter((id) => !after.includes(id))).toEqual(['cross-site-scripting@web']);
    expect(after.filter((id) => !parsing.includes(id))).toEqual(['undeclared-parsers@web']);
  });
});
