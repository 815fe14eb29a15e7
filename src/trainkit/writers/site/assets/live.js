/* trainkit: dates and statuses that depend on today, recomputed with the reader's clock.
 *
 * The site is built for one fixed day (the commit time or SOURCE_DATE_EPOCH), so
 * it stays reproducible; a page read later would say "Open for enrolment" about
 * a cohort that has finished. The generator writes the facts as of the build,
 * with the dates they depend on (see trainkit/writers/site/live.py); this script puts
 * them right for today. It makes no request. Without it, each page says which
 * day its facts are from (.tk-asof).
 */
(function () {
  "use strict";

  function time(text) {
    var t = text ? Date.parse(text) : NaN;
    return isNaN(t) ? null : t;
  }

  /* cancelled, finished, running or upcoming: the rule of trainkit.site.common.phase */
  function phase(node, now) {
    if (node.dataset.tkStatus === "cancelled") { return "cancelled"; }
    var start = time(node.dataset.tkStart), end = time(node.dataset.tkEnd);
    if (end !== null && end < now) { return "finished"; }
    if (start !== null && start <= now) { return "running"; }
    return "upcoming";
  }

  function matches(node, now) {
    if (node.dataset.tkWhen === undefined) { return true; }
    return node.dataset.tkWhen.split(" ").indexOf(phase(node, now)) >= 0;
  }

  function show(node, on) { node.classList.toggle("tk-off", !on); }

  function labels(now) {
    document.querySelectorAll(".tk-live").forEach(function (node) {
      var p = phase(node, now);
      var text = node.getAttribute("data-tk-label-" + p);
      if (text !== null) { node.textContent = text; }
      if (node.dataset.tkWhen !== undefined) { show(node, matches(node, now)); }
    });
  }

  function firsts(now) {
    document.querySelectorAll(".tk-first").forEach(function (group) {
      var found = false;
      Array.prototype.forEach.call(group.querySelectorAll(".tk-opt"), function (opt) {
        var on = !found && matches(opt, now);
        if (on) { found = true; }
        show(opt, on);
      });
    });
  }

  /* Tables of sessions: the rows of sessions not started yet, at most data-tk-limit. */
  function sessions(now) {
    document.querySelectorAll("table").forEach(function (table) {
      var marks = table.querySelectorAll(".tk-session");
      if (!marks.length) { return; }
      var shown = 0;
      Array.prototype.forEach.call(marks, function (mark) {
        var start = time(mark.dataset.tkStart);
        var on = start !== null && start >= now && shown < Number(mark.dataset.tkLimit || 8);
        if (on) { shown += 1; }
        show(mark, on);
      });
      var box = table.closest(".tk-stack") || table;
      var none = box.nextElementSibling;
      if (none && none.classList.contains("tk-sessions-none")) { show(none, shown === 0); }
      show(box, shown > 0);
    });
  }

  /* Certificate verification pages: valid until the expiry day, revoked from its day. */
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function certificates(day) {
    document.querySelectorAll("[data-tk-cert]").forEach(function (node) {
      var revoked = node.dataset.tkRevoked, expires = node.dataset.tkExpires;
      var status = revoked && revoked <= day ? "revoked" :
        expires && expires <= day ? "expired" : "valid";
      node.textContent = node.getAttribute("data-tk-label-" + status) || node.textContent;
      ["valid", "expired", "revoked"].forEach(function (s) {
        node.classList.toggle(s, s === status);
      });
      node.dataset.tkNow = status;
      document.title = document.title.replace(/: (Valid|Expired|Revoked)( - |$)/,
        ": " + node.getAttribute("data-tk-label-" + status) + "$2");
    });
    document.querySelectorAll(".tk-cert-asof").forEach(function (node) {
      var parts = day.split("-").map(Number);
      var when = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], 12));
      node.textContent = when.toLocaleDateString(document.documentElement.lang || undefined,
        {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"});
    });
  }

  /* Offers that end on a day (an early-bird price): shown up to and including it. */
  function untils(day) {
    document.querySelectorAll("[data-tk-until]").forEach(function (node) {
      show(node, day <= node.dataset.tkUntil);
    });
  }

  function start() {
    var now = Date.now();
    labels(now);
    firsts(now);
    sessions(now);
    certificates(today());
    untils(today());
    document.querySelectorAll(".tk-asof").forEach(function (node) { show(node, false); });
    document.documentElement.dataset.tkLive = "1";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
