import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = join(REPO_ROOT, 'README.md');
/** The README is a front page; everything longer belongs in docs/. */
const README_MAX_BYTES = 10 * 1024;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Link targets of inline links and images, outside fenced code blocks and inline code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (heading ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What is wrong with a relative link from `file`, or null when it points at something that exists. */
function brokenLink(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto:, …: not the repository's business
  const [path = '', anchor] = target.split('#', 2);
  const resolved = path === '' ? file : join(dirname(file), decodeURIComponent(path));
  if (!existsSync(resolved)) return 'no such file';
  if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
    if (!headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) return `no heading #${anchor}`;
  }
  return null;
}

describe('documentation', () => {
  it(`keeps README.md a front page of at most ${README_MAX_BYTES} bytes`, () => {
    const size = statSync(README).size;
    assert.ok(size <= README_MAX_BYTES, `README.md is ${size} bytes; move detail into docs/`);
  });

  it('has no broken relative link in README.md or docs/', () => {
    const files = [README, ...markdownFiles(join(REPO_ROOT, 'docs'))];
    const broken = files.flatMap((file) =>
      linkTargets(readFileSync(file, 'utf8')).flatMap((target) => {
        const problem = brokenLink(file, target);
        return problem ? [`${relative(REPO_ROOT, file)}: ${target} (${problem})`] : [];
      }),
    );
    assert.deepEqual(broken, []);
  });

  it('finds the links it checks, and GitHub anchors', () => {
    assert.deepEqual(linkTargets('see [a](docs/a.md#x), ![i](img.png "t"), `[no](code.md)`, [web](https://x.y)'), [
      'docs/a.md#x',
      'img.png',
      'https://x.y',
    ]);
    assert.deepEqual(
      [...headingAnchors('# The event relay\n## Benchmark: `npm run bench -- store`\n## Tests\n## Tests\n')],
      ['the-event-relay', 'benchmark-npm-run-bench----store', 'tests', 'tests-1'],
    );
  });
});
