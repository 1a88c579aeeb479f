/* Offline reading for Safe Benzo Withdrawal (registered by assets/javascripts/offline.js).
 *
 * Network first, always: a reader online gets the current page, never a stale copy of medical
 * information. Each page and file fetched from this site is also copied into this browser's
 * cache, and that copy is used only when the network fails. The urgent help page is kept from
 * the first visit. Nothing is sent anywhere.
 */
// @ts-check
"use strict";

// `self`, typed as what it is here (tsc's worker library knows only a generic worker's scope).
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

// v2: v1 kept copies under their full address, queries included; activate deletes it.
const CACHE = "sbw-offline-v2";
const sameOrigin = (/** @type {string} */ url) => new URL(url, sw.location.href).origin === sw.location.origin;

/** The address a copy is kept under: absolute, with no query and no fragment. */
function cacheKey(/** @type {string} */ url) {
  const key = new URL(url, sw.location.href);
  key.search = "";
  key.hash = "";
  return key.href;
}

sw.addEventListener("install", () => sw.skipWaiting());

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  /** @type {string[]} */
  const urls = [...new Set(data.urls.filter(sameOrigin).map(cacheKey))];
  event.waitUntil(
    caches.open(CACHE).then((cache) => Promise.all(urls.map((url) => cache.add(url).catch(() => undefined)))),
  );
});

function offlinePage() {
  const urgent = new URL("urgent-help/", sw.registration.scope).href;
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    "<title>Offline: Safe Benzo Withdrawal</title>" +
    "<h1>You are offline</h1><p>This page was not saved on this device. Pages you opened before still work, " +
    `and so does the <a href="${urgent}">urgent help page</a>.</p>` +
    "<p><strong>If you feel very unwell, call your local emergency number now.</strong></p></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(cacheKey(request.url), copy)));
        }
        return response;
      })
      .catch(() =>
        caches
          .match(cacheKey(request.url))
          .then((hit) => hit || (request.mode === "navigate" ? offlinePage() : Response.error())),
      ),
  );
});
