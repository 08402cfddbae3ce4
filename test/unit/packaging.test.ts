/**
 * The packaging scripts: scripts/vsixLinks.mjs finds every README link a page away from the
 * repository cannot follow, and scripts/package.mjs builds the local and the Marketplace .vsix
 * with vsce, fails on a vsce warning, and fails the Marketplace build whose README still has a
 * relative link. The builds run vsce for real, on a small extension in a temporary folder.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importScript } from '../support/esm';
import { PROJECT_ROOT } from '../host/paths';

interface LinkProblem {
  file?: string;
  kind: 'link' | 'image' | 'file';
  target: string;
  line: number;
  problem: string;
}
interface VsixLinks {
  markdownLinkProblems(text: string): LinkProblem[];
  vsixLinkProblems(vsix: string): Promise<LinkProblem[]>;
  readZipEntries(file: string, names: string[]): Promise<Map<string, string>>;
}
interface PackageScript {
  parseArgs(argv: string[]): { marketplace: boolean; baseUrl?: string; ref?: string; out?: string; vsce: string[] };
  repositoryWebUrl(url: string): string;
  baseUrls(repositoryUrl: string, ref?: string): { content: string; images: string };
  vscePackageFlags(manifest: object, urls?: { content: string; images: string }): string[];
  VSCE_WARNING: RegExp;
}

const PACKAGE_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'package.mjs');
const LINKS_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'vsixLinks.mjs');

describe('the packaging scripts', () => {
  let links: VsixLinks;
  let pack: PackageScript;

  before(async () => {
    links = await importScript<VsixLinks>('scripts/vsixLinks.mjs');
    pack = await importScript<PackageScript>('scripts/package.mjs');
  });

  describe('the README link check', () => {
    const problems = (text: string) => links.markdownLinkProblems(text).map((p) => `${p.line} ${p.kind} ${p.target} ${p.problem}`);

    it('finds relative links and images, as markdown, reference definitions and HTML', () => {
      const text = [
        '# Title',
        '',
        '![shot](media/screenshot.png)',
        '',
        'See [the docs](docs/guide.md), [the root](/SECURITY.md) and [the license][lic].',
        '',
        '<img src="media/logo.png" alt="logo"> <a href=\'CONTRIBUTING.md\'>contributing</a>',
        '',
        '[lic]: LICENSE',
      ].join('\n');
      assert.deepEqual(problems(text), [
        '3 image media/screenshot.png is relative',
        '5 link docs/guide.md is relative',
        '5 link /SECURITY.md is relative',
        '5 link LICENSE is relative',
        '7 image media/logo.png is relative',
        '7 link CONTRIBUTING.md is relative',
      ]);
    });

    it('accepts absolute links, https images, mail, anchors of the page, and code that only looks like a link', () => {
      const text = [
        '![shot](https://github.com/example/x/raw/v1/media/screenshot.png)',
        '[docs](https://github.com/example/x/blob/v1/docs/guide.md) [plain](http://example.com)',
        '[mail](mailto:someone@example.com) [below](#troubleshooting) <https://example.com/auto>',
        '`[not](a/link.md)`',
        '',
        '```',
        '![not](an/image.png)',
        '```',
        '<img src="https://example.com/logo.png">',
      ].join('\n');
      assert.deepEqual(problems(text), []);
    });

    it('refuses an image that is not https, a protocol-relative one, and other schemes', () => {
      const text = '![a](http://example.com/a.png) ![b](//example.com/b.png) [c](vscode:extension/x.y) [d]()';
      assert.deepEqual(problems(text), [
        '1 image http://example.com/a.png is a http: image, not https:',
        '1 image //example.com/b.png is relative',
        '1 link vscode:extension/x.y is a vscode: link',
        '1 link  is empty',
      ]);
    });
  });

  describe('the base URLs from the repository', () => {
    it('points links at blob/<ref>/ and images at raw/<ref>/, HEAD unless a ref is given', () => {
      assert.deepEqual(pack.baseUrls('https://github.com/example/pandadoc-auth'), {
        content: 'https://github.com/example/pandadoc-auth/blob/HEAD/',
        images: 'https://github.com/example/pandadoc-auth/raw/HEAD/',
      });
      assert.deepEqual(pack.baseUrls('https://git.example.com/team/pandadoc-auth', 'v0.2.0'), {
        content: 'https://git.example.com/team/pandadoc-auth/blob/v0.2.0/',
        images: 'https://git.example.com/team/pandadoc-auth/raw/v0.2.0/',
      });
      assert.equal(pack.baseUrls('https://github.com/o/r', 'release/1.x').content, 'https://github.com/o/r/blob/release/1.x/');
    });

    it("takes package.json's forms of the address and refuses what is not a web address", () => {
      for (const form of ['https://github.com/o/r', 'https://github.com/o/r/', 'https://github.com/o/r.git', 'git+https://github.com/o/r.git']) {
        assert.equal(pack.repositoryWebUrl(form), 'https://github.com/o/r', form);
      }
      for (const bad of ['git@github.com:o/r.git', 'https://github.com/o', 'https://github.com/o/r?tab=x', 'ftp://example.com/o/r', 'o/r']) {
        assert.throws(() => pack.repositoryWebUrl(bad), /not a repository's web address/, bad);
      }
      for (const bad of ['', 'v1 2', '../main', 'a//b', 'x:y']) {
        assert.throws(() => pack.baseUrls('https://github.com/o/r', bad), /not a git ref/, bad);
      }
    });
  });

  describe('the vsce flags', () => {
    it('lets the local build keep its links and the Marketplace build rewrite them', () => {
      const urls = pack.baseUrls('https://github.com/o/r');
      assert.deepEqual(pack.vscePackageFlags({}), ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links']);
      assert.deepEqual(pack.vscePackageFlags({ repository: { url: 'https://github.com/o/r.git' } }, urls), [
        '--no-dependencies',
        '--baseContentUrl',
        urls.content,
        '--baseImagesUrl',
        urls.images,
      ]);
    });

    it('reads its own options and passes the rest to vsce', () => {
      assert.deepEqual(pack.parseArgs(['--marketplace', '--base-url=https://github.com/o/r', '--ref', 'v1', '-o', 'x.vsix', '--skip-license']), {
        marketplace: true,
        baseUrl: 'https://github.com/o/r',
        ref: 'v1',
        out: 'x.vsix',
        vsce: ['--skip-license'],
      });
      assert.throws(() => pack.parseArgs(['--base-url', 'https://github.com/o/r']), /add --marketplace/);
      assert.throws(() => pack.parseArgs(['--marketplace', '--ref']), /--ref needs a value/);
    });

    it("knows vsce's warnings, on a terminal and under GitHub Actions", () => {
      assert.match(' WARNING  A \'repository\' field is missing', pack.VSCE_WARNING);
      assert.match('done\n::warning::A repository field is missing', pack.VSCE_WARNING);
      assert.doesNotMatch(' INFO  Files included in the VSIX:\n DONE  Packaged: x.vsix', pack.VSCE_WARNING);
    });
  });

  describe('a build of a small extension', function () {
    this.timeout(30_000);
    let dir: string;

    /** A temporary extension: package.json without repository, LICENSE, the README given. */
    function extension(readme: string, { ignoreFile = true } = {}): void {
      fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
      const manifest = { name: 'fixture', publisher: 'tests', version: '1.0.0', license: 'MIT', engines: { vscode: '^1.90.0' } };
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
      fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
      fs.writeFileSync(path.join(dir, 'README.md'), readme);
      fs.writeFileSync(path.join(dir, 'media', 'shot.png'), 'png');
      if (ignoreFile) {
        fs.writeFileSync(path.join(dir, '.vscodeignore'), '**\n!package.json\n!README.md\n!LICENSE\n!media/shot.png\n');
      }
    }

    function run(script: string, args: string[]) {
      const result = spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '' } });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
    }

    const readmeIn = async (vsix: string) => (await links.readZipEntries(vsix, ['extension/readme.md'])).get('extension/readme.md') ?? '';
    const RELATIVE = '# Fixture\n\n![shot](media/shot.png)\n\nSee [the docs](docs/guide.md) and [the license](LICENSE).\n';

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-package-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('Marketplace: every relative link and image becomes the repository address at the ref', async () => {
      extension(RELATIVE);
      const vsix = path.join(dir, 'out.vsix');
      const result = run(PACKAGE_SCRIPT, ['--marketplace', '--base-url', 'https://github.com/example/fixture', '--ref', 'v1.0.0', '--out', vsix]);
      assert.equal(result.status, 0, result.output);
      assert.doesNotMatch(result.output, /WARNING|::warning::|\[y\/N\]/);
      assert.match(result.stdout, /Marketplace build: every README and CHANGELOG link and image in the package is absolute/);
      const readme = await readmeIn(vsix);
      assert.match(readme, /!\[shot\]\(https:\/\/github\.com\/example\/fixture\/raw\/v1\.0\.0\/media\/shot\.png\)/);
      assert.match(readme, /\[the docs\]\(https:\/\/github\.com\/example\/fixture\/blob\/v1\.0\.0\/docs\/guide\.md\)/);
      assert.deepEqual(await links.vsixLinkProblems(vsix), []);
    });

    it('Marketplace: fails, naming the link, when the packaged README keeps a relative one, and removes the .vsix', () => {
      // vsce rewrites inline links only: a reference definition stays relative.
      extension(`${RELATIVE}\nAlso [the guide][guide].\n\n[guide]: docs/guide.md\n`);
      const vsix = path.join(dir, 'out.vsix');
      const result = run(PACKAGE_SCRIPT, ['--marketplace', '--base-url', 'https://github.com/example/fixture', '--out', vsix]);
      assert.equal(result.status, 1, result.output);
      assert.match(result.stderr, /still has 1 link\(s\) a Marketplace page cannot follow:\n {2}README\.md:7: link docs\/guide\.md is relative/);
      assert.equal(fs.existsSync(vsix), false, 'the .vsix is removed');
    });

    it('Marketplace: refuses to guess a repository that package.json does not name', () => {
      extension(RELATIVE);
      const result = run(PACKAGE_SCRIPT, ['--marketplace']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /needs the repository's address: --base-url/);
    });

    it("local: builds offline without a warning, keeps the README's links and says how many", async () => {
      extension(RELATIVE);
      const vsix = path.join(dir, 'local.vsix');
      const result = run(PACKAGE_SCRIPT, ['--out', vsix]);
      assert.equal(result.status, 0, result.output);
      assert.doesNotMatch(result.output, /WARNING|::warning::|\[y\/N\]/);
      assert.match(result.stdout, /Local build: README and CHANGELOG links as in the repository \(3 relative, which only the repository resolves\)\.\nFor the Marketplace/);
      assert.equal(await readmeIn(vsix), RELATIVE);

      // The check alone, on that package: exit 1 and every link named.
      const check = run(LINKS_SCRIPT, [vsix]);
      assert.equal(check.status, 1, check.output);
      assert.match(check.stderr, /3 link\(s\) a Marketplace page cannot follow:\n {2}README\.md:3: image media\/shot\.png is relative\n {2}README\.md:5: link docs\/guide\.md is relative\n {2}README\.md:5: link LICENSE is relative/);
    });

    it('fails on any vsce warning (here: no .vscodeignore), and removes the .vsix', () => {
      extension(RELATIVE, { ignoreFile: false });
      const vsix = path.join(dir, 'local.vsix');
      const result = run(PACKAGE_SCRIPT, ['--out', vsix]);
      assert.equal(result.status, 1, result.output);
      assert.match(result.stderr, /vsce printed a warning \(above\): the package must build without one/);
      assert.equal(fs.existsSync(vsix), false);
    });
  });
});
