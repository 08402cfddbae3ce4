// Stands in for the `whatwg-url` package in the bundle (see esbuild.mjs): Node's URL is the same
// WHATWG URL, built in.
module.exports = { URL: globalThis.URL };
