/* Offline reading: registers the service worker (docs/sw.js, served at the site root) and asks it
 * to keep this page, what this page loads from our own host, and the urgent help page. Nothing
 * leaves the browser; the copies live in this browser's cache for this site only.
 */
// @ts-check
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  // Material writes its config on every page; without it this throws, as it always has.
  const config = JSON.parse(/** @type {string} */ (/** @type {HTMLElement} */ (document.getElementById("__config")).textContent));
  const root = new URL(config.base.replace(/\/?$/, "/"), location.href);

  function pageAndAssets() {
    const urls = [location.href.split("#")[0], new URL("urgent-help/", root).href];
    /** @type {NodeListOf<Element & {href?: string, src?: string}>} links, scripts and images */
    const linked = document.querySelectorAll("link[rel~=stylesheet], link[rel~=icon], link[rel=manifest], script[src], img[src]");
    for (const node of linked) urls.push(/** @type {string} */ (node.href || node.src));
    return urls.filter((url) => new URL(url).origin === location.origin);
  }

  navigator.serviceWorker
    .register(new URL("sw.js", root), { scope: root.pathname })
    .then(() => navigator.serviceWorker.ready)
    // `ready` resolves once a worker is active, so `active` is set.
    .then((registration) => /** @type {ServiceWorker} */ (registration.active).postMessage({ type: "keep", urls: pageAndAssets() }))
    .catch(() => {}); // offline reading is a bonus: the page works the same without it
})();
