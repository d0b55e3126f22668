// The invariant "the nightly page module holds no formatting machinery"
// (ARCHITECTURE.md), checked on the built module before wasm-opt strips
// its names: no function of core::fmt / alloc::fmt may be in it (they cost
// several KB of every first visit). A function that merely names a fmt type
// in its generic arguments (`<&[&dyn core::fmt::Debug] as …>::into_iter`)
// is not formatting code and is allowed.
//
// Usage: node no-fmt.mjs pkg/posdoctor_bg.unopt.wasm
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const bytes = readFileSync(file);

function leb(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}

/** Function names from the `name` custom section (subsection 1). */
function functionNames(buf) {
  let pos = 8;
  const names = [];
  while (pos < buf.length) {
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    const end = pos + size;
    if (id === 0) {
      let len;
      [len, pos] = leb(buf, pos);
      const section = buf.subarray(pos, pos + len).toString('utf8');
      pos += len;
      if (section === 'name') {
        while (pos < end) {
          const sub = buf[pos++];
          let subSize;
          [subSize, pos] = leb(buf, pos);
          const subEnd = pos + subSize;
          if (sub === 1) {
            let count;
            [count, pos] = leb(buf, pos);
            for (let i = 0; i < count; i++) {
              let index, n;
              [index, pos] = leb(buf, pos);
              [n, pos] = leb(buf, pos);
              names.push(buf.subarray(pos, pos + n).toString('utf8'));
              pos += n;
            }
          }
          pos = subEnd;
        }
      }
    }
    pos = end;
  }
  return names;
}

const names = functionNames(bytes);
if (names.length < 50) {
  console.error(`${file}: only ${names.length} function names: the module has no name section to check`);
  process.exit(1);
}
// `core::fmt::…`, `core[hash]::fmt::…`, `<core::fmt::Arguments as …>`, alloc's too.
const fmt = /^<?(core|alloc)(\[[0-9a-f]+\])?::fmt::/;
const offenders = names.filter((n) => fmt.test(n));
if (offenders.length) {
  console.error(`${file}: formatting machinery in the page module (${offenders.length} functions):`);
  for (const n of offenders.slice(0, 20)) console.error('  ' + n);
  process.exit(1);
}
console.error(`${file}: ${names.length} functions, none of core::fmt or alloc::fmt`);
