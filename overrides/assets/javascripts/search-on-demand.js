/* Search on demand. Material's bundle downloads the whole search index (about 110 KB gzip, more
 * than an article page itself) as every page loads, so most readers, who never search, pay for it.
 * This holds back that one request until the reader reaches for search: focuses or clicks the
 * search box, uses Material's search keys (which focus the box), or follows a link that carries a
 * search (?q= or ?h=). Loaded before the bundle (overrides/main.html). If a later Material stops
 * fetching the index with XMLHttpRequest, the index simply loads eagerly again; nothing breaks.
 * tests/browser/test_search.py checks both halves.
 */
// @ts-check
(function () {
  "use strict";
  const INDEX = /\/search\/search_index\.json$/;
  const heldBack = new WeakSet();
  /** @type {(() => void)[]} */
  const waiting = [];
  let wanted = /[?&][qh]=/.test(location.search);

  function release() {
    wanted = true;
    while (waiting.length) /** @type {() => void} */ (waiting.shift())();
  }

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (INDEX.test(new URL(String(url), location.href).pathname)) heldBack.add(this);
    else heldBack.delete(this);
    // `arguments`, not the two named ones: open() has three optional arguments more.
    return open.apply(this, /** @type {any} */ (arguments));
  };
  XMLHttpRequest.prototype.send = function () {
    if (wanted || !heldBack.has(this)) return send.apply(this, /** @type {any} */ (arguments));
    const request = this;
    const args = /** @type {any} */ (arguments);
    waiting.push(() => send.apply(request, args));
  };

  const wants = (/** @type {Event} */ event, /** @type {string} */ selector) => event.target instanceof Element && event.target.closest(selector);
  document.addEventListener("focusin", (e) => wants(e, "[data-md-component=search-query]") && release());
  document.addEventListener("pointerdown", (e) => wants(e, "label[for=__search], .md-search") && release());
  document.addEventListener("change", (e) => {
    const box = /** @type {HTMLInputElement} */ (e.target); // Material's search toggle is a checkbox
    return box.id === "__search" && box.checked && release();
  });
})();
