// Writes DIR/_headers for a built, prerendered site: the headers every host
// must send, in the format Netlify and Cloudflare Pages read. The one source
// of truth: tests/e2e/server.mjs serves exactly these (for ./build.sh serve,
// the browser tests and the bench), and docs/EMBED.md points hosts to it.
//   node tests/e2e/tools/headers.mjs DIR
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { headersFile, parseHeaders } from '../server.mjs';

const dir = path.resolve(process.argv[2] || 'dist');
const text = headersFile(dir);
parseHeaders(text); // throws if the file would not read back
writeFileSync(path.join(dir, '_headers'), text);
console.error(`    wrote ${path.relative(process.cwd(), path.join(dir, '_headers'))} (CSP with the static screen's style hash, caching per path)`);
