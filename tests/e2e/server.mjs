// A dependency-free static server for the built site (dist/ by default),
// sending exactly the headers the site declares in DIR/_headers (the file
// Netlify and Cloudflare Pages read; written by `./build.sh dist` with
// `headersFile` below): DESIGN.md's strict Content-Security-Policy with the
// static screen's style hash, immutable caching for content-hashed files,
// no-cache for the page, the worker and the manifest.
//
//   node tests/e2e/server.mjs [DIR] [PORT]     (PORT 0 or none: a free port)
//   node tests/e2e/server.mjs --port 8080 dist
//   node tests/e2e/server.mjs --compress dist   (brotli/gzip, as a real host)
//
// Prints the address (http://127.0.0.1:PORT/) on its first line of output.
// Tests import `startServer(dir, port)` and run it in-process.

import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DIR = path.resolve(HERE, '..', '..', 'dist');

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "manifest-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The policy for a built site: CSP, with the hash of each `<style>` in
 * its index.html (the static first screen's styles, DESIGN "The page":
 * listed by hash, never 'unsafe-inline').
 */
export function cspFor(dir) {
  let html = '';
  try {
    html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  } catch {
    return CSP;
  }
  const hashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)]
    .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  return hashes.length ? CSP.replace("style-src 'self'", `style-src 'self' ${hashes.join(' ')}`) : CSP;
}

/**
 * The text of DIR/_headers for a built site, in the format Netlify and
 * Cloudflare Pages read (a path pattern, then its headers indented). Each
 * header name is set by one rule per path only: Cloudflare joins the values
 * of a name set by two matching rules.
 */
export function headersFile(dir) {
  const noCache = ['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/examples/*'];
  return [
    '# Written by ./build.sh dist (tests/e2e/tools/headers.mjs); Netlify and Cloudflare Pages',
    '# read this file, and ./build.sh serve, the browser tests and the bench serve exactly these',
    '# headers (tests/e2e/server.mjs). The style hash is that of the static first screen in index.html.',
    '/*',
    `  Content-Security-Policy: ${cspFor(dir)}`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: no-referrer',
    '# Content-hashed: a new build gives a new name.',
    '/assets/*',
    '  Cache-Control: public, max-age=31536000, immutable',
    '# Entry points: revalidated on every visit, so a new build is picked up.',
    ...noCache.flatMap((p) => [p, '  Cache-Control: no-cache']),
    '',
  ].join('\n');
}

/**
 * Parses a _headers file: `[{ pattern, match: RegExp, headers: [[name, value]] }]`.
 * Patterns are absolute paths where `*` matches anything (slashes too) and
 * `:name` one path segment, as on Netlify and Cloudflare Pages; `#` starts
 * a comment line. Throws on a line it cannot read.
 */
export function parseHeaders(text) {
  const rules = [];
  String(text).split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    if (!/^\s/.test(line)) {
      if (!line.startsWith('/')) throw new Error(`_headers line ${i + 1}: a path must start with /`);
      const pattern = line.trim();
      const source = pattern.split(/(\*|:[A-Za-z]\w*)/).map((part) => (part === '*' ? '.*'
        : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('');
      rules.push({ pattern, match: new RegExp(`^${source}$`), headers: [] });
      return;
    }
    const m = line.trim().match(/^([A-Za-z0-9-]+):\s*(.*)$/);
    if (!m || !rules.length) throw new Error(`_headers line ${i + 1}: expected "Name: value" under a path`);
    rules[rules.length - 1].headers.push([m[1], m[2]]);
  });
  return rules;
}

/** The headers the rules give `urlPath`, in file order; a name set twice
 * gets its values joined by ", " (as Cloudflare Pages does). */
export function headersForPath(rules, urlPath) {
  const out = {};
  const names = {};
  for (const rule of rules) {
    if (!rule.match.test(urlPath)) continue;
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      if (key in names) out[names[key]] += `, ${value}`;
      else { names[key] = name; out[name] = value; }
    }
  }
  return out;
}

/** The rules for `dir`: its _headers, or (a site built before the file
 * existed) the same rules computed from its index.html. */
export function rulesFor(dir) {
  let text;
  try {
    text = readFileSync(path.join(dir, '_headers'), 'utf8');
  } catch {
    text = headersFile(dir);
  }
  return parseHeaders(text);
}

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** Worth compressing: text, wasm and the packed knowledge base (not PNGs). */
function compressible(type) {
  return /^text\/|^application\/(wasm|json|manifest\+json|octet-stream)|^image\/svg\+xml/.test(type);
}

/** The coding a real host would pick for this request: br, else gzip, else none. */
function pickEncoding(req) {
  const accept = String(req.headers['accept-encoding'] || '');
  const has = (c) => accept.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    return name.trim() === c && !(q && Number(q.trim().slice(2)) === 0);
  });
  if (has('br')) return 'br';
  if (has('gzip')) return 'gzip';
  return null;
}

/** Compressed bodies, computed once per file version (brotli 11, gzip 9). */
const compressedCache = new Map();
function compressedBody(file, stat, data, encoding) {
  const key = `${encoding}:${file}:${stat.size}:${stat.mtimeMs}`;
  let body = compressedCache.get(key);
  if (!body) {
    body = encoding === 'br'
      ? brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } })
      : gzipSync(data, { level: 9 });
    compressedCache.set(key, body);
  }
  return body;
}

/** The declared headers for `urlPath` under `extra`; a path the file does
 * not cover (a test's host page or fixture) is not cached. */
function declared(rules, urlPath, extra) {
  const h = { ...headersForPath(rules, urlPath) };
  if (!Object.keys(h).some((k) => k.toLowerCase() === 'cache-control')) h['Cache-Control'] = 'no-cache';
  return { ...h, ...extra };
}

/**
 * Starts serving `dir` on 127.0.0.1:`port` (0 = any free port).
 * `options.routes`: extra in-memory files, `{ '/path': { body, type } }`
 * (tests use it for host pages), and `options.mounts`: `{ '/prefix/': dir }`.
 * `options.compress`: answer with brotli (quality 11; gzip 9 as a fallback)
 * when the request accepts it, for text, wasm and .bin files, as a real host
 * would. Off by default; the benchmarks (tests/e2e/bench/) turn it on.
 * Resolves to `{ url, port, server, close() }`.
 */
export async function startServer(dir = DEFAULT_DIR, port = 0, options = {}) {
  const root = path.resolve(dir);
  const routes = options.routes || {};
  const mounts = Object.entries(options.mounts || {}).map(([prefix, d]) => [prefix, path.resolve(d)]);
  const compress = Boolean(options.compress);
  const rules = rulesFor(root);

  const server = createServer(async (req, res) => {
    let urlPath = '/';
    // An answer that is not a file of the site: never cached.
    const send = (status, headers, body) => {
      res.writeHead(status, declared(rules, urlPath, { 'Cache-Control': 'no-cache', ...headers }));
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
        return;
      }
      try {
        urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
      } catch {
        send(400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'bad request\n');
        return;
      }
      if (urlPath.includes('\0')) {
        send(400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'bad request\n');
        return;
      }
      const route = routes[urlPath];
      if (route) {
        res.writeHead(200, declared(rules, urlPath, { 'Content-Type': route.type || mimeOf(urlPath) }));
        res.end(req.method === 'HEAD' ? undefined : route.body);
        return;
      }
      let base = root;
      let rel = urlPath;
      for (const [prefix, d] of mounts) {
        if (urlPath.startsWith(prefix)) {
          base = d;
          rel = '/' + urlPath.slice(prefix.length);
          break;
        }
      }
      let file = path.join(base, path.normalize(rel));
      if (file !== base && !file.startsWith(base + path.sep)) {
        send(403, { 'Content-Type': 'text/plain; charset=utf-8' }, 'forbidden\n');
        return;
      }
      let stat = await fs.stat(file).catch(() => null);
      if (stat && stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = await fs.stat(file).catch(() => null);
      }
      // The headers file is the host's configuration, not a page (Netlify
      // and Cloudflare Pages do not serve it either).
      if (!stat || !stat.isFile() || (base === root && urlPath === '/_headers')) {
        send(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'not found\n');
        return;
      }
      const type = mimeOf(file);
      const encoding = compress && compressible(type) ? pickEncoding(req) : null;
      if (encoding) {
        const body = compressedBody(file, stat, await fs.readFile(file), encoding);
        res.writeHead(200, declared(rules, urlPath, {
          'Content-Type': type,
          'Content-Encoding': encoding,
          'Content-Length': String(body.length),
          Vary: 'Accept-Encoding',
        }));
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.writeHead(200, declared(rules, urlPath, {
        'Content-Type': type,
        'Content-Length': String(stat.size),
        ...(compress && compressible(type) ? { Vary: 'Accept-Encoding' } : {}),
      }));
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch (err) {
      if (!res.headersSent) send(500, { 'Content-Type': 'text/plain; charset=utf-8' }, 'server error\n');
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    server,
    port: actual,
    url: `http://127.0.0.1:${actual}/`,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// Run as a program.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let dir = DEFAULT_DIR;
  let port = 0;
  let compress = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port' || a === '-p') port = Number(args[++i]);
    else if (a === '--compress') compress = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node server.mjs [--compress] [DIR] [PORT]   (default DIR: dist/, PORT 0: a free port)');
      process.exit(0);
    } else if (/^\d+$/.test(a)) port = Number(a);
    else dir = a;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`bad port: ${port}`);
    process.exit(2);
  }
  try {
    await fs.access(path.join(dir, 'index.html'));
  } catch {
    console.error(`${path.resolve(dir)} has no index.html: run ./build.sh dist first`);
    process.exit(1);
  }
  const { url } = await startServer(dir, port, { compress });
  console.log(url);
  console.log(`serving ${path.resolve(dir)} (Ctrl-C stops)`);
}
