// A dependency-free static server for the built site (dist/ by default),
// with the strict Content-Security-Policy of DESIGN.md on every response.
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

/** Caching: content-hashed assets forever, the entry points never without revalidating. */
function cacheControl(urlPath) {
  if (urlPath.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
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

function baseHeaders(extra, csp = CSP) {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extra,
  };
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
  const csp = cspFor(root);

  const server = createServer(async (req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, baseHeaders(headers, csp));
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
        return;
      }
      let urlPath;
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
        send(200, { 'Content-Type': route.type || mimeOf(urlPath), 'Cache-Control': 'no-cache' }, route.body);
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
      if (!stat || !stat.isFile()) {
        send(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' }, 'not found\n');
        return;
      }
      const type = mimeOf(file);
      const encoding = compress && compressible(type) ? pickEncoding(req) : null;
      if (encoding) {
        const body = compressedBody(file, stat, await fs.readFile(file), encoding);
        res.writeHead(200, baseHeaders({
          'Content-Type': type,
          'Content-Encoding': encoding,
          'Content-Length': String(body.length),
          'Cache-Control': cacheControl(urlPath),
          Vary: 'Accept-Encoding',
        }, csp));
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.writeHead(200, baseHeaders({
        'Content-Type': type,
        'Content-Length': String(stat.size),
        'Cache-Control': cacheControl(urlPath),
        ...(compress && compressible(type) ? { Vary: 'Accept-Encoding' } : {}),
      }, csp));
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
