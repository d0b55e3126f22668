// posdoctor service worker. `./build.sh dist` fills in VERSION (the build
// hash) and PRECACHE (every content-hashed asset and './').
// One cache per version: a new build installs beside the old one, waits
// until the page asks it to take over (the "update" notice), and then the
// old cache is deleted, so a page never mixes files from two builds.
const VERSION = '__VERSION__';
const PRECACHE = [/*__PRECACHE__*/];
const PREFIX = 'posdoctor-';
const CACHE = PREFIX + VERSION;
// The manifest keeps its name (it is not content-hashed): cache it too.
const FILES = [...new Set([...PRECACHE, './manifest.webmanifest'])];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Content-hashed assets never change: the copies the page just
      // loaded (HTTP cache) will do. The page itself is fetched afresh.
      cache.addAll(FILES.map((url) => new Request(url, { cache: url.includes('/assets/') ? 'default' : 'reload' })))),
  );
  // No skipWaiting here: a new version waits for the page's go-ahead.
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

async function respond(request) {
  const cache = await caches.open(CACHE);
  const navigate = request.mode === 'navigate';
  const hit = await cache.match(request, { ignoreSearch: navigate });
  if (hit) return hit;
  try {
    const response = await fetch(request);
    // Same-origin files outside the build (a provider's kb-url, say) are
    // kept too, so they also work offline after the first visit.
    if (response.ok && response.type === 'basic' && !navigate) {
      cache.put(request, response.clone()).catch(() => {});
    }
    return response;
  } catch (err) {
    if (navigate) {
      const page = (await cache.match('./index.html')) || (await cache.match('./'));
      if (page) return page;
    }
    throw err;
  }
}
