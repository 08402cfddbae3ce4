// `npm run package` and `npm run package:marketplace`: `vsce package` with the flags each build
// needs, offline, failing on any vsce warning. Plain JavaScript, so it runs before anything is
// compiled; the test host packages through it too (vscePackageArgs in test/host/paths.ts).
//
//   node scripts/package.mjs [vsce package options]
//     The local build, for the test host and a .vsix you install yourself. Its README and
//     CHANGELOG are the repository's own, relative links included: vsce cannot rewrite them
//     without knowing the repository (it stops with an error unless told not to rewrite), and a
//     clone need not know its repository's address. VS Code's extension page shows no relative
//     image, so this build says how many such links it kept.
//
//   node scripts/package.mjs --marketplace [--base-url <repository URL>] [--ref <git ref>] [...]
//     The build to publish and to attach to a release. Relative links in README and CHANGELOG
//     become <repository URL>/blob/<ref>/<path>, images <repository URL>/raw/<ref>/<path> (vsce's
//     --baseContentUrl and --baseImagesUrl; the layout of GitHub and GitHub Enterprise). The
//     repository URL defaults to package.json's `repository`, the ref to HEAD. The README inside
//     the .vsix is then read back: any link or image still not absolute fails the build, and the
//     .vsix is removed.
//
// Without `repository` in package.json (none is written in the sources: the release workflow
// sets it from its own repository), vsce would warn and ask whether to go on; both builds pass
// --allow-missing-repository instead, which changes nothing in the package but that question.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describeProblem, vsixLinkProblems } from './vsixLinks.mjs';
import { runAsCommand } from './cli.mjs';

const require = createRequire(import.meta.url);

export const USAGE = [
  'usage: node scripts/package.mjs [vsce package options]',
  '       node scripts/package.mjs --marketplace [--base-url <repository URL>] [--ref <git ref>] [vsce package options]',
].join('\n');

/** A line vsce prints for a warning: ` WARNING ` on a terminal, `::warning::` under GitHub Actions. */
export const VSCE_WARNING = /(^|\s)WARNING\s|^::warning::/m;

/** This script's options, and the rest for vsce. `--out`/`-o` is read too, since the check needs the file. */
export function parseArgs(argv) {
  const options = { marketplace: false, baseUrl: undefined, ref: undefined, out: undefined, vsce: [] };
  const valued = { '--base-url': 'baseUrl', '--ref': 'ref', '--out': 'out', '-o': 'out' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--marketplace') {
      options.marketplace = true;
    } else if (flag in valued) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') {
        throw new Error(`${flag} needs a value\n${USAGE}`);
      }
      options[valued[flag]] = value;
    } else {
      options.vsce.push(arg);
    }
  }
  if (!options.marketplace && (options.baseUrl !== undefined || options.ref !== undefined)) {
    throw new Error(`--base-url and --ref are for the Marketplace build: add --marketplace\n${USAGE}`);
  }
  return options;
}

/** package.json's repository URL, from either of its forms. */
export function repositoryOf(manifest) {
  const repository = manifest.repository;
  if (typeof repository === 'string') {
    return repository;
  }
  return typeof repository?.url === 'string' ? repository.url : undefined;
}

/**
 * The repository's web address from `https://host/owner/repo`, with or without `git+`, `.git` or
 * a trailing slash. Anything else (an SSH address, a query, no path) is refused.
 */
export function repositoryWebUrl(url) {
  const text = url.trim().replace(/^git\+/, '');
  let parsed;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new Error(`not a repository's web address: ${url} (expected https://HOST/OWNER/REPO)`);
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\.git$/i, '');
  if (path.split('/').filter(Boolean).length < 2) {
    throw new Error(`not a repository's web address: ${url} (expected https://HOST/OWNER/REPO)`);
  }
  return `${parsed.origin}${path}`;
}

/** vsce's --baseContentUrl and --baseImagesUrl for the repository at `ref` (a tag, branch or commit). */
export function baseUrls(repositoryUrl, ref = 'HEAD') {
  const web = repositoryWebUrl(repositoryUrl);
  if (!/^[^\s~^:?*[\\]+$/.test(ref) || ref.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`not a git ref: ${ref}`);
  }
  const encoded = ref.split('/').map(encodeURIComponent).join('/');
  return { content: `${web}/blob/${encoded}/`, images: `${web}/raw/${encoded}/` };
}

/** The `vsce package` flags of a build, before the caller's own. */
export function vscePackageFlags(manifest, urls) {
  return [
    // esbuild bundles the dependencies into dist/extension.js.
    '--no-dependencies',
    ...(manifest.repository ? [] : ['--allow-missing-repository']),
    ...(urls ? ['--baseContentUrl', urls.content, '--baseImagesUrl', urls.images] : ['--no-rewrite-relative-links']),
  ];
}

/** Runs vsce with its output passed through and kept. */
function runVsce(args, cwd) {
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  return new Promise((resolvePromise, reject) => {
    // No standard input: a question vsce might still ask ends the run instead of waiting.
    const child = spawn(process.execPath, [vsce, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main(argv, cwd) {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  let urls;
  if (options.marketplace) {
    const repository = options.baseUrl ?? repositoryOf(manifest);
    if (!repository) {
      console.error(`the Marketplace build needs the repository's address: --base-url https://HOST/OWNER/REPO (package.json has no repository)\n${USAGE}`);
      return 2;
    }
    try {
      urls = baseUrls(repository, options.ref);
    } catch (error) {
      console.error(error.message);
      return 2;
    }
  }
  const defaultName = `${manifest.name}-${manifest.version}.vsix`;
  let out = resolve(cwd, options.out ?? defaultName);
  if (existsSync(out) && statSync(out).isDirectory()) {
    out = join(out, defaultName);
  }

  const { code, output } = await runVsce(['package', ...vscePackageFlags(manifest, urls), ...options.vsce, '--out', out], cwd);
  if (code !== 0) {
    return code;
  }
  const fail = (message) => {
    rmSync(out, { force: true });
    console.error(`${message}\nremoved ${out}`);
    return 1;
  };
  if (VSCE_WARNING.test(output)) {
    return fail('vsce printed a warning (above): the package must build without one.');
  }
  const problems = await vsixLinkProblems(out);
  if (urls) {
    if (problems.length > 0) {
      return fail(
        `the packaged README or CHANGELOG still has ${problems.length} link(s) a Marketplace page cannot follow:\n` +
          problems.map((problem) => `  ${describeProblem(problem)}`).join('\n'),
      );
    }
    console.log(`Marketplace build: every README and CHANGELOG link and image in the package is absolute (${urls.content}, ${urls.images})`);
    if (!manifest.repository) {
      console.log('package.json has no repository: the package names none (the release workflow sets repository, bugs and homepage first).');
    }
  } else {
    const relative = problems.filter((problem) => problem.kind !== 'file').length;
    if (relative > 0) {
      console.log(
        `Local build: README and CHANGELOG links as in the repository (${relative} relative, which only the repository resolves).\n` +
          'For the Marketplace, Open VSX or a .vsix to share: npm run package:marketplace -- --base-url https://HOST/OWNER/REPO',
      );
    }
  }
  return 0;
}

runAsCommand(import.meta.url, (argv) => main(argv, process.cwd()));
