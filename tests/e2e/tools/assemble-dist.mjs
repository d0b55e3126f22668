// Assembles dist/ for `./build.sh dist`: the page's files from www/ and the
// built ones from pkg/, minified by esbuild (pinned in tests/e2e), renamed
// with a content hash under assets/, their './NAME' references rewritten,
// and sw.js given its version and precache list. (It was a Python script
// inside build.sh; node is needed for esbuild and the tests anyway, so the
// build has one scripting language besides bash. Same output, byte for byte.)
//   node tests/e2e/tools/assemble-dist.mjs ROOT PKG_DIR DIST_DIR
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [root, pkgArg, outArg] = process.argv.slice(2);
if (!root || !pkgArg || !outArg) {
  console.error('usage: node tests/e2e/tools/assemble-dist.mjs ROOT PKG_DIR DIST_DIR');
  process.exit(2);
}
const esbuild = path.join(root, 'tests/e2e/node_modules/.bin/esbuild');
const www = path.join(root, 'www');
const pkg = path.resolve(root, pkgArg);
const out = path.resolve(root, outArg);
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'assets'), { recursive: true });

/** Every file under `dir`, as paths relative to it. */
function walk(dir, rel = '') {
  const files = [];
  for (const entry of readdirSync(path.join(dir, rel))) {
    const r = rel ? `${rel}/${entry}` : entry;
    if (statSync(path.join(dir, r)).isDirectory()) files.push(...walk(dir, r));
    else files.push(r);
  }
  return files;
}

// Files referenced by literal './NAME' in the sources; hashed in dependency
// order so a file's hash covers the hashed names it refers to.
const sources = new Map();
for (const rel of walk(www)) {
  if (rel.endsWith('.d.ts')) continue; // TypeScript declarations: for host developers, not the page
  sources.set(rel, path.join(www, rel));
}
// pkg/posdoctor.js (the page module's wasm-bindgen glue) is not among them:
// it is bundled into pos-doctor.js (see bundle), one file fewer to fetch.
const built = ['kb.bin', 'kb-text.bin', 'kb-cues.bin', 'posdoctor_bg.wasm', 'posdoctor_extractor_bg.wasm', 'posdoctor_extractor.js',
  'posdoctor_validator_bg.wasm', 'posdoctor_validator.js', 'posdoctor_support_bg.wasm', 'posdoctor_support.js'];
for (const name of built) sources.set(name, path.join(pkg, name));
const unhashed = new Set(['index.html', 'sw.js', 'manifest.webmanifest']);
// Loaded only by pages that set kb-url (validator) or open a case link
// (support): the service worker caches them on first use instead of making
// every first visit download them. The install icons are fetched by the
// browser when it needs them.
const notPrecached = new Set(['posdoctor_validator_bg.wasm', 'posdoctor_validator.js', 'posdoctor_support_bg.wasm',
  'posdoctor_support.js', 'icon-192.png', 'icon-512.png']);
const TEXT_EXT = ['.js', '.css', '.html', '.webmanifest', '.svg', '.json'];
const isText = (name) => TEXT_EXT.some((e) => name.endsWith(e));
// Code-point order, as Python's sorted() (the names are ASCII).
const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const order = [
  ...built,
  ...[...sources.keys()].filter((k) => !built.includes(k) && !k.includes('/') && !unhashed.has(k)).sort(byCodePoint),
  'manifest.webmanifest', 'index.html',
];
const renamed = new Map();
const replaceAll = (text, from, to) => text.split(from).join(to);

function rewrite(text) {
  for (const [name, now] of renamed) {
    text = replaceAll(replaceAll(text, `'./${name}'`, `'./${now}'`), `"./${name}"`, `"./${now}"`);
  }
  return text;
}

function run(args, input, cwd) {
  const r = spawnSync(esbuild, args, { input, cwd, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr || '');
    throw new Error(`esbuild ${args.join(' ')} failed`);
  }
  if (r.stderr && r.stderr.length) process.stderr.write(r.stderr);
  return r.stdout;
}

/** The page's own JS and CSS, minified by esbuild before hashing:
 * identifiers and strings are kept, so the rewritten './NAME' references
 * survive. JS keeps its UTF-8 as is (--charset=utf8): escaped, each Chinese
 * character took 6 bytes. */
function minify(name, data) {
  if (!name.endsWith('.js') && !name.endsWith('.css')) return data;
  const loader = name.endsWith('.css') ? 'css' : 'js';
  // Module scripts are always read as UTF-8; a stylesheet keeps escapes.
  const charset = loader === 'js' ? ['--charset=utf8'] : [];
  return run(['--minify', `--loader=${loader}`, '--log-level=warning', ...charset], data);
}

/** The element with the glue it imports (pkg/posdoctor.js) in one minified
 * module: 230 B brotli less than the two files (measured), and the glue's
 * unused exports left out. The extractor, validator and support modules
 * stay their own files (loaded after ready, or only when needed). */
function bundle(data) {
  return run(['--bundle', '--format=esm', '--minify', '--charset=utf8', '--log-level=warning',
    '--external:./posdoctor_validator.js', '--external:./posdoctor_support.js', '--external:./posdoctor_extractor.js',
    '--sourcefile=pos-doctor.js'], data, pkg);
}

for (const name of order) {
  if (!sources.has(name)) continue;
  let data = readFileSync(sources.get(name));
  if (name === 'pos-doctor.js') {
    data = Buffer.from(rewrite(bundle(data).toString('utf8')), 'utf8');
  } else if (isText(name)) {
    data = minify(name, Buffer.from(rewrite(data.toString('utf8')), 'utf8'));
  }
  if (unhashed.has(name)) {
    // index.html and the manifest live at the root and refer to hashed
    // assets as ./assets/NAME.HASH.EXT.
    writeFileSync(path.join(out, name), data);
    continue;
  }
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 10);
  const ext = path.extname(name);
  const now = `assets/${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
  // Inside assets/, siblings are referenced as ./NAME.HASH.EXT.
  renamed.set(name, now);
  writeFileSync(path.join(out, now), data);
}
// Assets refer to each other relative to assets/: fix './assets/x' → './x'.
for (const f of readdirSync(path.join(out, 'assets'))) {
  const p = path.join(out, 'assets', f);
  if (!isText(f)) continue;
  const text = readFileSync(p, 'utf8');
  const fixed = replaceAll(replaceAll(text, "'./assets/", "'./"), '"./assets/', '"./');
  if (fixed !== text) writeFileSync(p, fixed, 'utf8');
}
// Anything else under www/ (examples/) is copied as is, with rewritten refs.
for (const [rel, src] of sources) {
  if (!rel.includes('/')) continue;
  const dst = path.join(out, rel);
  mkdirSync(path.dirname(dst), { recursive: true });
  let data = readFileSync(src);
  if (isText(rel)) {
    const up = '../'.repeat(rel.split('/').length - 1);
    let text = data.toString('utf8');
    for (const [name, now] of renamed) {
      text = replaceAll(replaceAll(text, `'./${name}'`, `'${up}${now}'`), `"./${name}"`, `"${up}${now}"`);
    }
    data = Buffer.from(text, 'utf8');
  }
  writeFileSync(dst, data);
}
const version = createHash('sha256').update([...renamed.values()].sort(byCodePoint).join('')).digest('hex').slice(0, 10);
// './' is index.html: one copy (the worker answers /index.html from it offline).
const precache = ['./', './manifest.webmanifest', ...[...renamed].sort((a, b) => byCodePoint(a[1], b[1]))
  .filter(([k]) => !notPrecached.has(k)).map(([, v]) => `./${v}`)];
const swSource = path.join(www, 'sw.js');
if (existsSync(swSource)) {
  let sw = readFileSync(swSource, 'utf8');
  sw = replaceAll(replaceAll(sw, '__VERSION__', version), '/*__PRECACHE__*/', precache.map((u) => JSON.stringify(u)).join(', '));
  writeFileSync(path.join(out, 'sw.js'), minify('sw.js', Buffer.from(sw, 'utf8')));
}
console.error(`    dist/ version ${version}: ${renamed.size} hashed assets`);
