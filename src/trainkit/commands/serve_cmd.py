"""``trainkit serve``: a live preview of the site that rebuilds while you edit.

The preview is the real build (:func:`trainkit.writers.build.run_build`) of the
public site (the private reports are not served, so not made; the personal feeds and
learner pages, 200,000 files at 100,000 learners and half the work of a preview's
rebuild, only with ``--personal``), written into this
user's cache folder for the academy (:func:`trainkit.load.usercache.claimed`) and
served by the standard library's HTTP server. The folder is kept when the preview
stops, so the next preview of the academy starts with an incremental build (at
100,000 learners, seconds instead of a minute); a second preview of the same academy
at the same time builds into a temporary folder instead. A
polling watcher (file size and modification time, every ``--interval``
seconds; portable, and cheap for an academy's few thousand files) rebuilds
on every change to the academy's YAML, CSV and Markdown or to
``site-extra/``. A build with errors prints them and keeps serving the last
good site, with a banner listing the errors on every page; pages reload by
themselves after each build.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import importlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, academy_root, add_root
from trainkit.history.sequence import session_history
from trainkit.load import usercache
from trainkit.load.parsecache import StoredParses
from trainkit.load.sources import INPUT_DIRS, DirSource
from trainkit.model import Academy
from trainkit.resolve.reuse import Reuse
from trainkit.writers import heap, incremental, spare
from trainkit.writers.build import PUBLIC_WRITERS, BuildError, BuildOptions, run_build
from trainkit.writers.buildcache import CACHE_DIR
from trainkit.writers.feeds import kept
from trainkit.writers.site import writer as site_writer

STATUS = "/_trainkit/status"
MAX_BANNER = 20  # errors shown on the page; the terminal has them all
KEEP_DAYS = 30  # a kept preview folder nobody has served from this long is removed
IMPORTS = "imports.txt"  # in the preview folder: what its workers import, see Preview.preload

HELP = """\
Build the site, serve it at http://HOST:PORT/ and rebuild whenever a file of
the academy changes. Problems are printed as by 'trainkit check'; while there
are errors the last good site stays up, with a banner listing them. Stop with
Ctrl-C.

The preview is the public site, as 'trainkit build' makes it: pages, quizzes,
the public calendar feeds and certificate verification pages. Private reports
are not built. Nor are each learner's and instructor's personal calendar feed
and each learner's "My training" page (one file each per person: with many
learners, most of a rebuild's work) unless you add --personal; they also need
the feed secret, as in a build.

Your own site output (site/) and reports/ are not touched: the preview lives
in your cache folder ($XDG_CACHE_HOME/trainkit/serve/, usually
~/.cache/trainkit/serve/, readable only by you) and is kept when you stop, so
the next 'trainkit serve' of the academy rebuilds only what changed since.
It is safe to delete; a preview nobody has started for 30 days is removed.
A second preview of the same academy at the same time builds into a
temporary folder, removed when it stops.

examples:
  trainkit serve                       http://127.0.0.1:8000/
  trainkit serve --port 0              any free port (printed)
  trainkit serve --root ~/ops-academy  an academy in another folder
  trainkit serve --host 0.0.0.0 --port 8080
                                       reachable from other machines on your
                                       network (the preview has no password)
  trainkit serve --interval 2          look for changes less often (slow disks)
  TRAINKIT_FEED_SECRET=... trainkit serve --personal
                                       personal feeds and "My training" pages
                                       too (their addresses: the private lists
                                       in a build's reports/feeds/)

exit codes: 0 stopped with Ctrl-C; 1 the academy folder was not found or the
port is taken; 64 the command line is wrong.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="live preview: rebuild the site on every change",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_root(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                   help="how often to look for changed files (default 0.5)")
    p.add_argument("--personal", action="store_true",
                   help="also build the personal calendar feeds and \"My training\" pages "
                        "(with the feed secret)")
    p.set_defaults(run=run)


class Preview:
    """The state of the preview: where the site is, and how the last build went."""

    def __init__(self, root: Path, work: Path, personal: bool = False) -> None:
        self.root = root
        self.personal = personal
        self.imports = work / IMPORTS
        self.site = work / "site"
        self.reports = work / "reports"
        self.generation = 0
        self.errors: list[str] = []
        self.notes: list[str] = []  # the last build's, as printed
        self.lock = threading.Lock()
        # parsed input files, kept in memory for the whole preview (and on disk): a save
        # parses only the file that changed
        self.parses = StoredParses.for_user()
        # and what the academy's learners and cohorts resolved to, by those documents
        self.reuse = Reuse()
        # Imported here, once: the first save after a start that took every output over
        # would import the writers (about 0.5 CPU s) and MkDocs (see also preload).
        for module in (*(f"trainkit.writers.{name}" for name in PUBLIC_WRITERS),
                       "mkdocs.commands.build"):
            importlib.import_module(module)
        # the last good build's; once there is one, saves run their writers in this process
        self.academy: Academy | None = None

    def rebuild(self) -> None:
        started = time.perf_counter()
        errors: list[str] = []
        try:
            result, notes = run_build(self.root, BuildOptions(site_dir=self.site,
                                                          reports_dir=self.reports,
                                                          only=PUBLIC_WRITERS,
                                                          parses=self.parses,
                                                          reuse=self.reuse,
                                                          personal=self.personal,
                                                          again=self.academy is not None))
            errors = [d.text() for d in sorted(set(result.errors))]
            for d in sorted(set(result.diagnostics)):
                print(d.text(), file=sys.stderr)
            # What the build says of itself, once, not at every save. A build stopped by
            # errors says little of itself: the notes of the last good one stay the
            # reference, so fixing an error does not repeat them.
            for note in notes:
                if note not in self.notes:
                    print(f"trainkit: note: {note}", file=sys.stderr)
            if not errors:
                self.notes = notes
                self.academy = result.academy
        except BuildError as exc:
            errors = [f"build failed: {exc}"]
            print(f"trainkit: {errors[0]}", file=sys.stderr)
        except Exception as exc:  # a bug in a writer must not end the preview
            traceback.print_exc()
            errors = [f"internal error during the build (a bug in trainkit): {exc!r}"]
        with self.lock:
            self.errors = errors
            self.generation += 1
        took = time.perf_counter() - started
        if errors:
            print(f"trainkit: {len(errors)} error(s); still serving the last good site",
                  file=sys.stderr, flush=True)
        else:
            print(f"trainkit: rebuilt in {took:.1f}s", file=sys.stderr, flush=True)

    def warm(self) -> None:
        """What the first save would do first, done while the preview waits for it: the
        modules the first build's workers imported (:meth:`preload`); the replay of the
        cohort files' git history, which the feeds read (kept in this process by
        :func:`trainkit.history.sequence.session_history`; about 0.2 CPU s at 2,000
        cohorts, when the first build took the feeds over or wrote them in a worker);
        and what the first build's workers left in the build cache for the next build,
        the page cache hook's entries and the serialised events
        (:func:`trainkit.writers.site.writer.warm`,
        :func:`trainkit.writers.feeds.kept.for_build`)."""
        self.preload()
        if self.academy is not None:
            with contextlib.suppress(Exception):  # the save reads it again, and says what failed
                session_history(self.academy, self.root, datetime.now(UTC))
            cache = self.root / CACHE_DIR
            for warm in (site_writer.warm, partial(kept.for_build, personal=self.personal)):
                with contextlib.suppress(Exception):  # the save reads them, or makes them anew
                    warm(cache)

    def preload(self) -> None:
        """Import what the build's forked workers imported, here, while waiting for a save.

        The first build runs its writers side by side, the site in a forked worker,
        which imports MkDocs' configuration, the theme, the search plugin and the
        Markdown extensions (about 70 modules, 0.1 CPU s). Saves run the writers in
        this process (:func:`trainkit.writers.incremental.write`): without this, the
        first save would import them. The names are kept in the preview's folder, so
        that a restarted preview, whose first build may run no writer, imports them too.
        """
        try:
            known = set(self.imports.read_text(encoding="utf-8").split())
        except (OSError, UnicodeDecodeError):
            known = set()
        names = {n for n in known | incremental.WORKER_IMPORTS
                 if all(part.isidentifier() for part in n.split("."))}  # not hooks' paths
        for name in sorted(names - sys.modules.keys()):
            try:
                importlib.import_module(name)
            except Exception:  # gone since, or only importable the way MkDocs loads it
                names.discard(name)
        incremental.WORKER_IMPORTS.clear()
        if names != known:
            with contextlib.suppress(OSError):
                usercache.write_whole(self.imports, "".join(f"{n}\n" for n in sorted(names))
                                      .encode("utf-8"))

    def status(self) -> dict[str, object]:
        with self.lock:
            return {"generation": self.generation, "ok": not self.errors, "errors": self.errors}


Seen = dict[str, tuple[int, int]]  # path -> (modification time in ns, size)


class Files:
    """Size and modification time of every file a build reads, looked at cheaply.

    Listing the academy (:class:`DirSource`, with its checks) and looking at every
    file cost about 50 ms at 100,000 learners, every ``--interval``: a tenth of a
    core while nothing happens. A file added, removed or renamed changes its
    folder's modification time (an editor that saves by renaming too), so the
    listing is made again only when a folder's has changed, or changed so
    recently that a change in the same clock tick could hide; an edit in place
    changes the file's own. Between listings a look is one ``stat`` per folder and
    file.
    """

    RECENT_NS = 2_000_000_000  # a folder changed this recently is listed again

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: dict[str, int] = {}  # every folder the build may read from
        self.paths: list[str] = []
        self.fresh = True  # list again at the next look

    def look(self) -> Seen:
        if self.fresh or self._folders(self.folders) != self.folders:
            self._list()
        out: Seen = {}
        for path in self.paths:
            try:
                st = os.stat(path)
            except OSError:  # removed while we looked
                continue
            out[path] = (st.st_mtime_ns, st.st_size)
        return out

    def _list(self) -> None:
        tops = [str(self.root / top) for top in (*INPUT_DIRS, "site-extra")]
        found = [str(self.root)]
        for top in tops:
            if os.path.isdir(top):
                found.extend(folder for folder, _, _ in os.walk(top))
        # taken before the listing: a file added while it runs is listed at the next look
        self.folders = self._folders(found)
        now = time.time_ns()
        self.fresh = any(now - ns < self.RECENT_NS for ns in self.folders.values())
        paths = [str(self.root / p) for p in DirSource(self.root).list()]
        extra = self.root / "site-extra"
        if extra.is_dir():
            paths.extend(str(p) for p in extra.rglob("*") if p.is_file())
        self.paths = paths

    @staticmethod
    def _folders(known: Iterable[str]) -> dict[str, int]:
        out = {}
        for folder in known:
            try:
                out[folder] = os.stat(folder).st_mtime_ns
            except OSError:
                out[folder] = -1
        return out


class Handler(SimpleHTTPRequestHandler):
    """Static files of the preview, with the status endpoint and the error banner."""

    preview: Preview

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # a request log would bury the problems printed by rebuilds

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        if self.path.split("?")[0] == STATUS:
            self._send(200, "application/json", json.dumps(self.preview.status()).encode())
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            self._send(200, "text/html; charset=utf-8", self._page(target.read_bytes()))
            return
        if not (self.preview.site / "index.html").is_file():
            self._send(503, "text/html; charset=utf-8", self._page(b"<html><body><h1>No site "
                       b"yet</h1><p>The first build failed.</p></body></html>"))
            return
        super().do_GET()

    def _page(self, body: bytes) -> bytes:
        status = self.preview.status()
        errors = [str(e) for e in status["errors"]]  # type: ignore[attr-defined]
        extra = ""
        if errors:
            shown = "".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors[:MAX_BANNER])
            more = f"<li>… {len(errors) - MAX_BANNER} more</li>" if len(errors) > MAX_BANNER else ""
            extra += ('<div id="trainkit-errors" style="position:fixed;z-index:1000;bottom:0;'
                      'left:0;right:0;max-height:40%;overflow:auto;background:#b71c1c;'
                      'color:#fff;padding:.5em 1em;font:14px sans-serif">'
                      f"<strong>trainkit: {len(errors)} error(s); showing the last good build"
                      f"</strong><ul>{shown}{more}</ul></div>")
        extra += (f"<script>(function(){{var g={status['generation']};setInterval(function(){{"
                  f"fetch('{STATUS}').then(function(r){{return r.json()}}).then(function(s){{"
                  "if(s.generation!==g)location.reload()}).catch(function(){})},1000)})();"
                  "</script>")
        text = body.decode("utf-8", errors="replace")
        at = text.rfind("</body>")
        text = text[:at] + extra + text[at:] if at >= 0 else text + extra
        return text.encode("utf-8")

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    # A terminated preview cleans up like an interrupted one.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with usercache.claimed("serve", root, KEEP_DAYS) as kept:
        work = kept if kept is not None else Path(tempfile.mkdtemp(prefix="trainkit-serve-"))
        try:
            work.mkdir(mode=0o700, exist_ok=True)
            return _serve(args, root, work)
        finally:
            if kept is None:
                shutil.rmtree(work, ignore_errors=True)


def _serve(args: argparse.Namespace, root: Path, work: Path) -> int:
    preview = Preview(root, work, args.personal)
    if not args.personal:
        print('trainkit: the preview leaves out personal calendar feeds and "My training" '
              "pages (--personal builds them too)", file=sys.stderr, flush=True)
    try:
        # Taken before the first build, which can take a minute: a file saved while it
        # runs is built next, as after any build.
        files = Files(root)
        seen = files.look()
        preview.rebuild()
        handler = partial(type("BoundHandler", (Handler,), {"preview": preview}),
                          directory=str(preview.site))
        try:
            server = ThreadingHTTPServer((args.host, args.port), handler)
        except OSError as exc:
            print(f"trainkit: cannot listen on {args.host}:{args.port} ({exc.strerror}); "
                  "pick another --port", file=sys.stderr)
            return EXIT_ERRORS
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host, port = args.host, server.server_address[1]
        print(f"trainkit: serving http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr,
              flush=True)
        watch(preview, args.interval, files, seen)
    except KeyboardInterrupt:
        print("trainkit: stopped", file=sys.stderr)
    return EXIT_OK


def watch(preview: Preview, interval: float, files: Files, seen: Seen) -> None:
    """Rebuild whenever the files differ from ``seen`` (what the last build was started
    from) and from then on; runs until interrupted."""
    # While nothing is saved yet: a first build in a fresh folder leaves no spare tree
    # (writers.spare), so the first save would link each of the preview's files into a
    # new one (about 0.7 CPU s at 2,000 cohorts). It is laid now instead.
    for output in (preview.site, preview.reports):
        spare.lay(output)
    preview.warm()
    # The build leaves its objects to the collector, which counted few of them as old: its
    # first full pass would soon follow, and walk every object the preview keeps (about
    # 0.6 CPU s at 100,000 learners). Made now, and what is left frozen (writers.heap.keep),
    # no pass walks it again.
    heap.keep()
    while True:
        time.sleep(interval)
        now = files.look()
        if now != seen:
            seen = now
            # Taken before the build: an edit saved during the build is seen next time.
            preview.rebuild()
            if incremental.WORKER_IMPORTS:  # a build that ran writers side by side
                preview.preload()
            heap.keep()  # what the build made and the preview keeps
