// What the site's classic scripts share at run time, for tsc only (nothing here is served).
// taper-engine.js sets window.SBWTaper in a browser (module.exports in node); planner.js and plan-review.js read it.
declare var SBWTaper: typeof import("../../overrides/assets/javascripts/taper-engine.js");
// plan-review.js sets window.SBWPlanReview (module.exports in node); planner.js reads it.
declare var SBWPlanReview: typeof import("../../overrides/assets/javascripts/plan-review.js");
