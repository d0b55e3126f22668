// Where a wasm module's bytes go, without twiggy: section sizes, and the
// largest function bodies by name (from the name section, so run it on the
// module before wasm-opt strips it, pkg/NAME_bg.unopt.wasm). Names are
// demangled loosely (hashes dropped). With a second module, the functions
// whose size differs most between the two.
//   node tests/e2e/tools/wasm-sizes.mjs MODULE.wasm [BEFORE.wasm] [--top N]
import { readFileSync } from 'node:fs';

function leb(bytes, at) {
  let x = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    x += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [x, at];
  }
}

const SECTIONS = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

/** Sections (id, name, size) and functions (name, body size) of a module. */
export function readModule(file) {
  const bytes = readFileSync(file);
  const sections = [];
  const bodies = [];
  const names = new Map();
  let imported = 0;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    let name = SECTIONS[id] || `section ${id}`;
    if (id === 0) {
      const [len, s] = leb(bytes, start);
      name = `custom "${bytes.subarray(s, s + len).toString('utf8')}"`;
      if (name === 'custom "name"') {
        let p = s + len;
        while (p < end) {
          const sub = bytes[p];
          const [subSize, q] = leb(bytes, p + 1);
          if (sub === 1) {
            let [count, r] = leb(bytes, q);
            for (; count > 0; count--) {
              const [index, r1] = leb(bytes, r);
              const [nameLen, r2] = leb(bytes, r1);
              names.set(index, bytes.subarray(r2, r2 + nameLen).toString('utf8'));
              r = r2 + nameLen;
            }
          }
          p = q + subSize;
        }
      }
    } else if (id === 2) {
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) {
        for (let k = 0; k < 2; k++) {
          const [len, q] = leb(bytes, p);
          p = q + len;
        }
        const kind = bytes[p++];
        if (kind === 0) {
          imported++;
          p = leb(bytes, p)[1];
        } else if (kind === 1) {
          p += 1;
          const flags = bytes[p++];
          p = leb(bytes, p)[1];
          if (flags & 1) p = leb(bytes, p)[1];
        } else if (kind === 2) {
          const flags = bytes[p++];
          p = leb(bytes, p)[1];
          if (flags & 1) p = leb(bytes, p)[1];
        } else {
          p += 2;
        }
      }
    } else if (id === 10) {
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) {
        const [bodySize, q] = leb(bytes, p);
        bodies.push(bodySize);
        p = q + bodySize;
      }
    }
    sections.push({ name, size });
    at = end;
  }
  const functions = bodies.map((size, i) => ({ name: demangle(names.get(imported + i) || `func ${imported + i}`), size }));
  return { sections, functions };
}

function demangle(name) {
  return name.replace(/::h[0-9a-f]{16}$/, '').replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ')
    .replace(/\$RF\$/g, '&').replace(/\$C\$/g, ',').replace(/\.\./g, '::');
}

function main() {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
  const [file, before] = args;
  const now = readModule(file);
  console.log(`${file}: sections`);
  for (const s of now.sections) console.log(`  ${String(s.size).padStart(8)}  ${s.name}`);
  console.log(`largest of ${now.functions.length} functions (body bytes)`);
  for (const f of [...now.functions].sort((a, b) => b.size - a.size).slice(0, top)) {
    console.log(`  ${String(f.size).padStart(8)}  ${f.name}`);
  }
  if (before) {
    const sum = (list) => {
      const m = new Map();
      for (const f of list) m.set(f.name, (m.get(f.name) || 0) + f.size);
      return m;
    };
    const a = sum(readModule(before).functions);
    const b = sum(now.functions);
    const diff = [...new Set([...a.keys(), ...b.keys()])].map((n) => ({ name: n, d: (b.get(n) || 0) - (a.get(n) || 0) }))
      .filter((x) => x.d !== 0).sort((x, y) => Math.abs(y.d) - Math.abs(x.d));
    const total = diff.reduce((s, x) => s + x.d, 0);
    console.log(`functions changed against ${before} (total ${total > 0 ? '+' : ''}${total} B)`);
    for (const x of diff.slice(0, top)) console.log(`  ${(x.d > 0 ? '+' : '') + x.d}`.padStart(10) + `  ${x.name}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
