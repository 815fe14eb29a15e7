/* Reads iCalendar files with libical (Evolution's parser) and prints one line per
 * event: "E <file> <uid> <start> <end>" with start and end in UTC seconds as libical
 * computes them, resolving each TZID through the file's own VTIMEZONE. Then one line
 * per problem libical's restriction check (RFC 5545 property counts per component)
 * or its parser found: "P <file> <component> <message>".
 *   cc libical_read.c $(pkg-config --cflags --libs libical) -o libical_read
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    buf[n] = 0;
    fclose(f);
    return buf;
}

static long long seconds(struct icaltimetype t) {
    /* t.zone is the VTIMEZONE of this calendar (or UTC): the instant it names. */
    return (long long)icaltime_as_timet_with_zone(t, t.zone);
}

static void report_errors(const char *path, icalcomponent *c) {
    icalproperty *p;
    for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        printf("P %s %s %s\n", path, icalcomponent_kind_to_string(icalcomponent_isa(c)),
               icalproperty_get_xlicerror(p));
    }
    icalcomponent *sub;
    for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
         sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        report_errors(path, sub);
    }
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *text = slurp(argv[i]);
        icalcomponent *cal = icalparser_parse_string(text);
        if (!cal) { printf("P %s VCALENDAR unparsable\n", argv[i]); continue; }
        icalcomponent *ev;
        for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
            struct icaltimetype start = icalcomponent_get_dtstart(ev);
            struct icaltimetype end = icalcomponent_get_dtend(ev);
            icalproperty *dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
            icalparameter *tzid = icalproperty_get_first_parameter(dtstart, ICAL_TZID_PARAMETER);
            if (tzid && start.zone != icalcomponent_get_timezone(cal, icalparameter_get_tzid(tzid))) {
                printf("P %s VEVENT DTSTART TZID %s not resolved from the file\n", argv[i],
                       icalparameter_get_tzid(tzid));
            }
            printf("E %s %s %lld %lld\n", argv[i], icalcomponent_get_uid(ev), seconds(start),
                   seconds(end));
        }
        icalrestriction_check(cal);  /* adds X-LIC-ERROR properties where a rule fails */
        report_errors(argv[i], cal);
        icalcomponent_free(cal);
        free(text);
    }
    return 0;
}
