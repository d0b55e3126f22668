// posdoctor service worker. `./build.sh dist` fills in VERSION (the build
// hash) and PRECACHE (every content-hashed asset and './').
// One cache per version: a new build installs beside the old one, waits
// until the page asks it to take over (the "update" notice), and then the
// old cache is deleted, so a page never mixes files from two builds.
//
// Two kinds of files, two rules:
// - the build's own files (content-hashed assets, './', the manifest) never
//   change within a version: cache first;
// - everything else (a provider's kb-url, a provider's own page next to
//   index.html) may change at any time without a new build: network first,
//   the last good copy when the network fails or is too slow, so a corrected
//   knowledge base reaches merchants on their next online visit.
const VERSION = '__VERSION__';
const PRECACHE = [/*__PRECACHE__*/];
const PREFIX = 'posdoctor-';
const CACHE = PREFIX + VERSION;
// The manifest keeps its name (it is not content-hashed): cache it too.
const FILES = [...new Set([...PRECACHE, './manifest.webmanifest'])];
// How long a network-first request waits for the network before the last
// copy is served (when there is one). The page gives up on a kb-url after
// 8 s (KB_URL_TIMEOUT_MS in pos-doctor.js) and falls back to the built-in
// knowledge base: answering from the copy well before that keeps the
// provider's. The network answer, when it comes, still refreshes the copy.
const NETWORK_WAIT_MS = 4000;
// At most this many URLs per KEEP_OFFLINE message (a page and a kb-url or
// two, the validator's two files): a bound, not a need.
const KEEP_MAX = 8;

const SCOPE_PATH = new URL('./', self.location).pathname;
const ASSETS_PATH = SCOPE_PATH + 'assets/';
const INDEX_PATH = SCOPE_PATH + 'index.html';
const BUILD_PATHS = new Set(FILES.map((u) => new URL(u, self.location).pathname));

/** Whether `url` is one of this build's files (cache first). */
function inBuild(url) {
  return url.origin === self.location.origin
    && (url.pathname.startsWith(ASSETS_PATH) || BUILD_PATHS.has(url.pathname) || url.pathname === INDEX_PATH);
}

/** The cache key for a build file: index.html is './' (one copy). */
function buildKey(request, url) {
  return url.pathname === INDEX_PATH ? './' : request;
}

/** Whether a response may be kept: a good answer the page can read (same
 * origin, or another origin that allows it by CORS; never an opaque one),
 * and for a page, not a redirect (a navigation cannot be answered with one). */
function keepable(response, navigate) {
  return response.ok && (response.type === 'basic' || response.type === 'cors') && !(navigate && response.redirected);
}

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
  const data = event.data;
  if (!data) return;
  if (data.type === 'SKIP_WAITING') self.skipWaiting();
  // On a first visit the page fetched its kb-url, the validator module and
  // itself before this worker controlled it, so none of them passed through
  // here: the page names them, and they are fetched and kept now.
  if (data.type === 'KEEP_OFFLINE' && Array.isArray(data.urls)) {
    event.waitUntil(keepOffline(data.urls.slice(0, KEEP_MAX), data.page));
  }
});

/** Fetches and keeps each URL not kept yet (a later visit under the worker
 * refreshes them through the fetch handler below). `page`: which of them
 * is the page itself (kept only if not redirected, as for a navigation). */
async function keepOffline(urls, page) {
  const cache = await caches.open(CACHE);
  for (const u of urls) {
    let url;
    try {
      url = new URL(String(u), self.location);
    } catch {
      continue;
    }
    if (!/^https?:$/.test(url.protocol)) continue;
    url.hash = '';
    const key = inBuild(url) ? buildKey(url.href, url) : url.href;
    try {
      if (await cache.match(key, { ignoreVary: true })) continue;
      // Same credentials as the page's own fetch of a kb-url; another
      // origin must allow CORS, or nothing is kept.
      const response = await fetch(url.href, { credentials: 'same-origin' });
      if (keepable(response, u === page)) await cache.put(key, response);
    } catch {
      // Offline, refused or unreadable: nothing kept, the page still works.
    }
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const navigate = request.mode === 'navigate';
  if (inBuild(url)) {
    event.respondWith(cacheFirst(request, buildKey(request, url), navigate));
  } else if (url.origin === self.location.origin || request.mode === 'cors') {
    // Another origin only for fetch() with CORS (a kb-url elsewhere); a host
    // page's own images or scripts from elsewhere are left to the browser.
    event.respondWith(networkFirst(event, navigate));
  }
});

async function cacheFirst(request, key, navigate) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key, { ignoreSearch: navigate });
  if (hit) return hit;
  const response = await fetch(request);
  // The validator and support modules are not precached: kept on first use.
  if (response.ok && response.type === 'basic' && !navigate) {
    cache.put(request, response.clone()).catch(() => {});
  }
  return response;
}

function networkFirst(event, navigate) {
  const request = event.request;
  let storing = Promise.resolve();
  const network = fetch(request).then((response) => {
    if (keepable(response, navigate)) {
      const copy = response.clone();
      storing = caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  });
  // A late network answer still refreshes the copy after the page got it.
  event.waitUntil(network.then(() => storing).catch(() => {}));
  return (async () => {
    const cache = await caches.open(CACHE);
    const copy = await cache.match(request, { ignoreSearch: navigate, ignoreVary: true });
    if (copy) {
      let timer;
      const late = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_WAIT_MS, copy); });
      try {
        return await Promise.race([network.catch(() => copy), late]);
      } finally {
        clearTimeout(timer);
      }
    }
    try {
      return await network;
    } catch (err) {
      if (navigate) {
        // A page never seen online: the widget's own page, rather than none.
        const page = await cache.match('./');
        if (page) return page;
      }
      throw err;
    }
  })();
}
