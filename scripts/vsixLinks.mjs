// The links and images of the README and CHANGELOG inside a .vsix, as the Marketplace and Open VSX
// show them: those pages, and VS Code's own extension page (its webview allows `https:` and
// `data:` images only and follows only http, https and mailto links), cannot resolve a relative
// path. `node scripts/vsixLinks.mjs <file.vsix>...` prints every link left relative and exits 1.
// scripts/package.mjs runs the same check on the Marketplace package it builds.
import MarkdownIt from 'markdown-it';
import { Buffer } from 'node:buffer';
import yauzl from 'yauzl';
import { runAsCommand } from './cli.mjs';

/** The markdown files of a .vsix that the Marketplace renders, as vsce names them. */
export const RENDERED = [
  { entry: 'extension/readme.md', name: 'README.md', required: true },
  { entry: 'extension/changelog.md', name: 'CHANGELOG.md', required: false },
];

// The parser vsce renders with (html on, as vsce has it): reference-style links and HTML tags are
// resolved as the page would resolve them, not guessed by a regular expression.
const markdown = new MarkdownIt({ html: true });

/** `<img src>`, `<video src|poster>`, `<source src>` and `<a href>` in raw HTML. */
const HTML_TARGETS = /<(img|video|source|a)\b[^>]*?\s(src|href|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/**
 * Why `target` cannot stay in a page shown away from the repository, or undefined when it can.
 * A link may be absolute (http, https, mailto) or an anchor of the same page (`#section`); an
 * image must come from https (the Marketplace and VS Code refuse others).
 */
export function linkProblem(kind, target) {
  const value = target.trim();
  if (value === '') {
    return 'is empty';
  }
  if (kind === 'link' && value.startsWith('#')) {
    return undefined;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return 'is relative';
  }
  if (kind === 'image') {
    return scheme === 'https' ? undefined : `is a ${scheme}: image, not https:`;
  }
  return ['http', 'https', 'mailto'].includes(scheme) ? undefined : `is a ${scheme}: link`;
}

/** Every link and image of `text` (markdown) that linkProblem refuses, with its line. */
export function markdownLinkProblems(text) {
  const problems = [];
  const add = (kind, target, line) => {
    const problem = linkProblem(kind, target);
    if (problem) {
      problems.push({ kind, target, line, problem });
    }
  };
  const fromHtml = (html, line) => {
    for (const match of html.matchAll(HTML_TARGETS)) {
      const tag = match[1].toLowerCase();
      add(tag === 'a' ? 'link' : 'image', match[3] ?? match[4] ?? match[5] ?? '', line);
    }
  };
  for (const block of markdown.parse(text, {})) {
    const line = block.map ? block.map[0] + 1 : 0;
    if (block.type === 'html_block') {
      fromHtml(block.content, line);
    }
    for (const token of block.children ?? []) {
      if (token.type === 'link_open') {
        add('link', token.attrGet('href') ?? '', line);
      } else if (token.type === 'image') {
        add('image', token.attrGet('src') ?? '', line);
      } else if (token.type === 'html_inline') {
        fromHtml(token.content, line);
      }
    }
  }
  return problems;
}

/** The text of the named entries of a zip file (those it has). */
export function readZipEntries(file, names) {
  const wanted = new Set(names);
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, strictFileNames: false }, (error, zip) => {
      if (error) {
        reject(error);
        return;
      }
      const found = new Map();
      zip.on('error', reject);
      zip.on('end', () => resolve(found));
      zip.on('entry', (entry) => {
        if (!wanted.has(entry.fileName)) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) {
            reject(streamError);
            return;
          }
          const chunks = [];
          stream.on('data', (chunk) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            found.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The README's and CHANGELOG's links in `vsix` that a page away from the repository cannot follow. */
export async function vsixLinkProblems(vsix) {
  const texts = await readZipEntries(vsix, RENDERED.map((file) => file.entry));
  const problems = [];
  for (const file of RENDERED) {
    const text = texts.get(file.entry);
    if (text === undefined) {
      if (file.required) {
        problems.push({ file: file.name, kind: 'file', target: file.entry, line: 0, problem: 'is missing from the package' });
      }
      continue;
    }
    problems.push(...markdownLinkProblems(text).map((problem) => ({ file: file.name, ...problem })));
  }
  return problems;
}

/** One line per problem: `README.md:8: image media/screenshot.png is relative`. */
export function describeProblem({ file, line, kind, target, problem }) {
  return `${file}${line > 0 ? `:${line}` : ''}: ${kind} ${target} ${problem}`;
}

async function main(files) {
  if (files.length === 0) {
    console.error('usage: node scripts/vsixLinks.mjs <file.vsix>...');
    return 2;
  }
  let failed = false;
  for (const file of files) {
    const problems = await vsixLinkProblems(file);
    if (problems.length > 0) {
      failed = true;
      console.error(`${file}: ${problems.length} link(s) a Marketplace page cannot follow:`);
      for (const problem of problems) {
        console.error(`  ${describeProblem(problem)}`);
      }
    } else {
      console.log(`${file}: every README and CHANGELOG link and image is absolute`);
    }
  }
  return failed ? 1 : 0;
}

runAsCommand(import.meta.url, main);
