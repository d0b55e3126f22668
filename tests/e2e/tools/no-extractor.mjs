// The invariant "the page module holds no extractor" (ARCHITECTURE.md): the
// extractor is a module of its own, fetched after data-ready, and a call to
// it from the page's bindings would quietly bring its ~15 KB brotli back
// onto the critical path. Checked on the built module's names, before
// wasm-opt strips them.
//
// Usage: node no-extractor.mjs pkg/posdoctor_bg.unopt.wasm
import { readModule } from './wasm-sizes.mjs';

const file = process.argv[2];
const { functions } = readModule(file);
if (functions.length < 50) {
  console.error(`${file}: only ${functions.length} functions: not a page module with its names`);
  process.exit(1);
}
const extractor = /posdoctor(\[[0-9a-f]+\])?::extract::/;
const offenders = functions.filter((f) => extractor.test(f.name));
if (offenders.length) {
  console.error(`${file}: the extractor is in the page module (${offenders.length} functions), e.g.:`);
  for (const f of offenders.slice(0, 10)) console.error(`  ${f.name}`);
  process.exit(1);
}
console.error(`${file}: ${functions.length} functions, none of the extractor`);
