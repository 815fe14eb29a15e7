// Reads iCalendar files with ical.js (Thunderbird's parser) and prints, as JSON,
// each event's start and end as ical.js computes them, in UTC seconds.
//   node icaljs_read.mjs FILE...   ->  {"FILE": [{"uid", "start", "end", "zones"}, ...], ...}
// Each time with a TZID is resolved through the VTIMEZONE of its own file (ical.js
// looks the TZID up in the enclosing VCALENDAR); a TZID that file does not define
// is reported, not silently read as floating time.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function instant(time) {
  const zone = time.zone ? time.zone.tzid : null;
  return { seconds: time.toUnixTime(), zone };
}

const out = {};
for (const path of process.argv.slice(2)) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  out[path] = root.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const start = instant(event.startDate);
    const end = instant(event.endDate);
    for (const [name, prop] of [["dtstart", "DTSTART"], ["dtend", "DTEND"]]) {
      const p = component.getFirstProperty(name);
      const tzid = p && p.getParameter("tzid");
      const seen = name === "dtstart" ? start.zone : end.zone;
      if (tzid && seen !== tzid) {
        throw new Error(`${path}: ${prop};TZID=${tzid} was read in zone ${seen}`);
      }
    }
    return { uid: event.uid, start: start.seconds, end: end.seconds };
  });
}
process.stdout.write(JSON.stringify(out));
