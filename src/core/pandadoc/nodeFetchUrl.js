// Node's `url` module as node-fetch 2 sees it in the bundle (see esbuild.mjs), with parse() read
// through the WHATWG URL. node-fetch 2 calls the legacy url.parse() for every request, and Node
// 24 (the extension host of current VS Code and code-server) then prints DEP0169 at every start.
// node-fetch reads every URL with `new URL()` first, so parse() only ever gets an absolute URL;
// it passes the result to http.request() and url.format(), and reads protocol, hostname and
// href: the fields below are the ones url.parse() gives for an absolute URL.
// eslint-disable-next-line no-undef, @typescript-eslint/no-require-imports -- CommonJS, as node-fetch requires it
const url = require('url');

function parse(input) {
  const parsed = new URL(input);
  const user = decodeURIComponent(parsed.username);
  const auth = parsed.username || parsed.password ? (parsed.password ? `${user}:${decodeURIComponent(parsed.password)}` : user) : null;
  // Read from href, not from .search and .hash: those are empty for a bare `?` or `#`, which
  // url.parse() keeps.
  const hashAt = parsed.href.indexOf('#');
  const beforeHash = hashAt === -1 ? parsed.href : parsed.href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const search = queryAt === -1 ? null : beforeHash.slice(queryAt);
  return {
    protocol: parsed.protocol,
    slashes: true,
    auth,
    host: parsed.host,
    port: parsed.port === '' ? null : parsed.port,
    // url.parse() gives an IPv6 host without its brackets, as http.request() wants it.
    hostname: parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname,
    hash: hashAt === -1 ? null : parsed.href.slice(hashAt),
    search,
    query: search === null ? null : search.slice(1),
    pathname: parsed.pathname,
    path: `${parsed.pathname}${search ?? ''}`,
    href: parsed.href,
  };
}

module.exports = { ...url, parse };
