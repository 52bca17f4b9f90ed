import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPreferenceDocument,
  handleReservedUntil,
  isHandleReleased,
  normaliseHandle,
  utf8ByteLength,
  validateExternalLink,
  validateHandle,
  validateLinks,
} from '../../src/domain/identity.js';

const reason = (raw: string): string => {
  const check = validateHandle(raw);
  return check.ok ? `ok:${check.handle}` : check.reason;
};

const linkReason = (kind: string, url: string): string => {
  const check = validateExternalLink({ kind, url });
  return check.ok ? 'ok' : check.reason;
};

describe('handles', () => {
  it('normalises case, a leading @, surrounding space and compatibility forms', () => {
    assert.equal(normaliseHandle('  @Alice.Smith '), 'alice.smith');
    assert.equal(normaliseHandle('ＡＬＩＣＥ'), 'alice');
    assert.equal(normaliseHandle('＠bob_99'), 'bob_99');
    assert.equal(normaliseHandle('\u3000carol\u3000'), 'carol');
    assert.equal(normaliseHandle('ﬁsh'), 'fish');
    assert.equal(normaliseHandle('Ⅻ_club'), 'xii_club');
    assert.equal(normaliseHandle('@@dave'), '@dave', 'only one leading @ is a prefix');
  });

  it('accepts the documented alphabet and returns the normalised handle', () => {
    assert.equal(reason('@Jane.Doe_42'), 'ok:jane.doe_42');
    assert.equal(reason('abc'), 'ok:abc');
    assert.equal(reason('a'.repeat(30)), `ok:${'a'.repeat(30)}`);
  });

  it('enforces length 3–30 after normalisation', () => {
    assert.equal(reason('ab'), 'too_short');
    assert.equal(reason('@ab'), 'too_short');
    assert.equal(reason(''), 'too_short');
    assert.equal(reason('a'.repeat(31)), 'too_long');
  });

  it('refuses characters outside the alphabet, including look-alikes', () => {
    for (const raw of ['bad-name', 'with space', 'emoji😀x', 'café', 'аdmin', 'x@y', '@@dave', '___', '_._']) {
      assert.equal(reason(raw), 'invalid_characters', raw);
    }
  });

  it('refuses leading, trailing and double dots', () => {
    for (const raw of ['.alice', 'alice.', 'al..ice']) assert.equal(reason(raw), 'dot_placement', raw);
  });

  it('refuses reserved words in any spelling', () => {
    for (const raw of [
      'admin',
      'ADMIN',
      '@Support',
      'api',
      'root',
      'ad.min',
      'a_p_i',
      'PowerStream',
      'powerstream_tv',
    ]) {
      assert.equal(reason(raw), 'reserved', raw);
    }
    assert.equal(reason('admiral'), 'ok:admiral');
  });

  it('keeps a renamed handle reserved for the cooldown', () => {
    const renamedAt = Date.UTC(2025, 0, 1);
    assert.equal(handleReservedUntil(renamedAt, 30), Date.UTC(2025, 0, 31));
    assert.equal(handleReservedUntil(renamedAt), Date.UTC(2025, 0, 31));
    assert.equal(isHandleReleased(renamedAt, Date.UTC(2025, 0, 30, 23, 59)), false);
    assert.equal(isHandleReleased(renamedAt, Date.UTC(2025, 0, 31)), true);
  });
});

describe('external links', () => {
  it('accepts http(s) links on public hosts and normalises them', () => {
    const check = validateExternalLink({ kind: 'youtube', url: ' https://WWW.YouTube.com/@chan ' });
    assert.deepEqual(check, { ok: true, link: { kind: 'youtube', url: 'https://www.youtube.com/@chan' } });
    assert.equal(linkReason('youtube', 'https://youtu.be/abc'), 'ok');
    assert.equal(linkReason('x', 'https://twitter.com/someone'), 'ok');
    assert.equal(linkReason('website', 'http://example.org/path?q=1'), 'ok');
    assert.equal(linkReason('other', 'https://m.example.co.uk'), 'ok');
  });

  it('refuses with a reason', () => {
    assert.equal(linkReason('myspace', 'https://myspace.com/x'), 'unknown_kind');
    assert.equal(linkReason('website', 'not a url'), 'invalid_url');
    assert.equal(linkReason('website', '/relative/path'), 'invalid_url');
    assert.equal(linkReason('website', 'javascript:alert(1)'), 'unsupported_scheme');
    assert.equal(linkReason('website', 'ftp://example.com/file'), 'unsupported_scheme');
    assert.equal(linkReason('website', 'https://user:pass@example.com'), 'credentials');
    assert.equal(linkReason('website', 'https://user@example.com'), 'credentials');
    assert.equal(linkReason('website', 'http://127.0.0.1/admin'), 'ip_address');
    assert.equal(linkReason('website', 'http://2130706433/'), 'ip_address');
    assert.equal(linkReason('website', 'http://0x7f.1/'), 'ip_address');
    assert.equal(linkReason('website', 'http://[::1]:8080/'), 'ip_address');
    assert.equal(linkReason('website', 'http://localhost:3000'), 'local_host');
    assert.equal(linkReason('website', 'http://api.localhost'), 'local_host');
    assert.equal(linkReason('website', 'http://intranet/'), 'local_host');
    assert.equal(linkReason('website', `https://example.com/${'a'.repeat(2100)}`), 'too_long');
  });

  it('requires known kinds to point at their platform', () => {
    assert.equal(linkReason('youtube', 'https://example.com/watch'), 'host_mismatch');
    assert.equal(linkReason('youtube', 'https://youtube.com.evil.example/watch'), 'host_mismatch');
    assert.equal(linkReason('youtube', 'https://notyoutube.com/'), 'host_mismatch');
    assert.equal(linkReason('github', 'https://gist.github.com/x'), 'ok');
    const check = validateExternalLink({ kind: 'twitch', url: 'https://example.com' });
    assert.ok(!check.ok && /twitch\.tv/.test(check.message));
  });

  it('limits a list to 10 links without duplicates, reporting each bad entry', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ kind: 'website', url: `https://site${i}.example.com` }));
    const tooMany = validateLinks(many);
    assert.ok(!tooMany.ok && tooMany.errors[0]?.reason === 'too_many');
    assert.equal(validateLinks(many.slice(0, 10)).ok, true);
    const list = validateLinks([
      { kind: 'website', url: 'https://example.com/me' },
      { kind: 'website', url: 'http://www.example.com/me/' },
      { kind: 'youtube', url: 'https://example.com/other' },
    ]);
    assert.ok(!list.ok);
    assert.deepEqual(
      list.errors.map((e) => [e.index, e.reason]),
      [
        [1, 'duplicate'],
        [2, 'host_mismatch'],
      ],
    );
  });
});

describe('preference documents', () => {
  const limits = { maxBytes: 100, maxDepth: 3 };

  it('accepts a document within limits and reports its size and depth', () => {
    const doc = { theme: 'dark', feed: { autoplay: true, tabs: ['a'] } };
    assert.deepEqual(checkPreferenceDocument(doc, limits), { ok: true, bytes: JSON.stringify(doc).length, depth: 3 });
  });

  it('refuses oversize documents with 413, counting UTF-8 bytes', () => {
    const ascii = checkPreferenceDocument({ note: 'x'.repeat(100) }, limits);
    assert.ok(!ascii.ok && ascii.status === 413);
    // 43 characters but 113 bytes: over the limit only when counted in bytes.
    const euro = checkPreferenceDocument({ n: '€'.repeat(35) }, limits);
    assert.ok(!euro.ok && euro.status === 413);
    const wide = checkPreferenceDocument(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 0])));
    assert.equal(wide.ok, true, 'the default limit is larger');
  });

  it('refuses documents nested too deeply, or not a JSON object, with 422', () => {
    const deep = checkPreferenceDocument({ a: { b: { c: { d: 1 } } } }, limits);
    assert.ok(!deep.ok && deep.status === 422 && /deeper/.test(deep.reason));
    assert.equal(checkPreferenceDocument({ a: { b: { c: 1 } } }, limits).ok, true);
    for (const doc of [null, [], 'x', 42, { n: Number.NaN }, { d: new Date(0) }, { f: () => 1 }]) {
      const check = checkPreferenceDocument(doc, limits);
      assert.ok(!check.ok && check.status === 422, JSON.stringify(check));
    }
  });

  it('survives pathological nesting and cycles without overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const check = checkPreferenceDocument(deep);
    assert.ok(!check.ok && check.status === 422);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(checkPreferenceDocument(cyclic).ok, false);
  });

  it('counts UTF-8 bytes like an encoder', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800x']) {
      assert.equal(utf8ByteLength(s), new TextEncoder().encode(s).length, s);
    }
  });
});
