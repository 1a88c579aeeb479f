// What the site's classic scripts share at run time, for tsc only (nothing here is served).
// taper-engine.js sets window.SBWTaper in a browser (module.exports in node); planner.js reads it.
declare var SBWTaper: typeof import("../../overrides/assets/javascripts/taper-engine.js");
