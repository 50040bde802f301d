#!/usr/bin/env python3
"""Build the offline reveal.js decks: notebooks/NN_topic.ipynb -> slides/NN_topic.slides.html.

usage: python slides/build.py [--force] [--check] [--out-dir DIR] [--skip-vendor] [NOTEBOOK ...]

  (no args)      refresh slides/vendor/ if package-lock.json changed (runs `npm ci` in slides/),
                 rebuild every deck whose notebook or build settings changed, delete decks whose
                 notebook is gone
  --force        rebuild every deck
  --check        write nothing; exit 1 when vendor/ or a deck is missing, stale or orphaned
  --out-dir DIR  write the decks to DIR instead (for checks); their relative URLs still point
                 as if they were in slides/, so a deck built there is byte-identical to the
                 committed one
  --skip-vendor  do not look at vendor/ (no npm)

Each deck is `jupyter nbconvert --to slides` run in-process (nbconvert's SlidesExporter with the
settings in SETTINGS and ATTRIBUTES below), pointed at local copies of reveal.js 5, require.js and jQuery in
slides/vendor/, with MathJax replaced by KaTeX (vendor/mathjax-katex.js) and mermaid by an inline
no-op module: the decks load nothing from the network. vendor/ holds only the ~1.5 MB of runtime
files the decks use, copied from slides/node_modules (pinned by package.json/package-lock.json),
and is committed together with the decks, so they open from a clone without node or a build.

Decks leave out what is there for the tests: `# NBVAL_...` marker lines are removed from the code,
and an error output shows only its last line (`ValueError: message`), not the traceback.

The notebook styles nbconvert inlines in every deck (JupyterLab's theme and Pygments' colours, about
260 kB, the same for every chapter) are written once to slides/notebook.css, which each deck links
in their place: thirteen decks no longer carry thirteen copies of the same stylesheet.

Each deck records a fingerprint of its notebook and of the settings in
<meta name="minitf-slides-source">; tests/course/test_slides.py uses it to catch stale decks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

SLIDES_DIR = Path(__file__).resolve().parent
ROOT = SLIDES_DIR.parent
NOTEBOOK_DIR = ROOT / "notebooks"
VENDOR_DIR = SLIDES_DIR / "vendor"
NODE_MODULES = SLIDES_DIR / "node_modules"
SHIM = SLIDES_DIR / "mathjax-katex-shim.js"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
DECK_SUFFIX = ".slides.html"
DECK_RE = re.compile(r"^[0-9][0-9]_.*\.slides\.html$")
FINGERPRINT_META = "minitf-slides-source"
BUILD_FORMAT = 3  # bump when the post-processing below changes what a deck contains
NOTEBOOK_CSS = "notebook.css"  # the styles every deck shares, next to the decks (see share_styles)
VENDOR = "vendor"  # URL of slides/vendor/ relative to the decks

# An inline ES module standing in for mermaid (nbconvert imports it in every deck; the chapters
# draw graphs with minitf.viz, not mermaid): no file, no network.
MERMAID_STUB = "data:text/javascript,export%20default%20%7Binitialize()%7B%7D%7D%3B"

# SlidesExporter traits (same names as the `jupyter nbconvert --to slides --SlidesExporter.X=`
# options; slides/README.md shows the equivalent command line).
SETTINGS = {
    "reveal_url_prefix": f"{VENDOR}/reveal.js",
    "reveal_theme": "white",  # the default 'simple' theme @imports Google Fonts
    "reveal_transition": "slide",
    "reveal_number": "c/t",
    "reveal_scroll": True,  # long code cells scroll instead of running off the slide
    "reveal_width": "1280",  # the slide size the chapters are written for (the tests render at it)
    "reveal_height": "720",
    "require_js_url": f"{VENDOR}/requirejs/require.js",
    "jquery_url": f"{VENDOR}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{VENDOR}/mathjax-katex.js",
    "embed_images": True,  # markdown images become data: URIs (their paths are relative to notebooks/)
}
# Traits nbconvert 7.17 does not mark configurable (so `--SlidesExporter.mermaid_js_url=` is
# silently ignored on the command line): set on the exporter instance instead.
ATTRIBUTES = {
    "mermaid_js_url": MERMAID_STUB,
    "mermaid_layout_elk_js_url": MERMAID_STUB,
}

# Runtime files the decks load: (npm package, path in the package, path under vendor/).
# CSS files are followed: the fonts and @imports they reference are copied too, keeping only
# the woff2 (else woff) font files, which every browser of the last decade reads.
VENDOR_FILES = [
    ("reveal.js", "dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js", "dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js", "dist/theme/white.css", "reveal.js/dist/theme/white.css"),
    ("reveal.js", "dist/theme/fonts/source-sans-pro/LICENSE", "reveal.js/dist/theme/fonts/source-sans-pro/LICENSE"),
    ("reveal.js", "plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"),  # speaker view (press S)
    ("reveal.js", "LICENSE", "reveal.js/LICENSE"),
    ("requirejs", "require.js", "requirejs/require.js"),
    # requirejs ships no LICENSE file: require.js opens with its MIT licence header.
    ("jquery", "dist/jquery.min.js", "jquery/dist/jquery.min.js"),
    ("jquery", "LICENSE.txt", "jquery/LICENSE.txt"),
    ("katex", "dist/katex.min.css", "katex/katex.min.css"),
    ("katex", "LICENSE", "katex/LICENSE"),
]
# vendor/mathjax-katex.js = these, each wrapped so that require.js's define() is not seen, + SHIM.
KATEX_BUNDLE = [("katex", "dist/katex.min.js"), ("katex", "dist/contrib/auto-render.min.js")]
MANIFEST = VENDOR_DIR / "manifest.json"

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1""")


class BuildError(Exception):
    pass


def log(msg: str) -> None:
    print(f"slides: {msg}", flush=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- vendor/
def locked_versions() -> dict[str, str]:
    lock = json.loads((SLIDES_DIR / "package-lock.json").read_text())
    wanted = {pkg for pkg, _, _ in VENDOR_FILES} | {pkg for pkg, _ in KATEX_BUNDLE}
    versions = {}
    for pkg in sorted(wanted):
        entry = lock.get("packages", {}).get(f"node_modules/{pkg}")
        if not entry:
            raise BuildError(f"{pkg} is not in slides/package-lock.json (run npm install in slides/)")
        versions[pkg] = entry["version"]
    return versions


def vendor_layout() -> str:
    """Changes whenever the vendored file list or the shim changes."""
    spec = json.dumps([VENDOR_FILES, KATEX_BUNDLE], sort_keys=True)
    return sha256(spec.encode() + SHIM.read_bytes())


def vendor_problems() -> list[str]:
    """Why slides/vendor/ does not match package-lock.json and this script ([] when it does)."""
    if not MANIFEST.is_file():
        return ["slides/vendor/manifest.json is missing"]
    manifest = json.loads(MANIFEST.read_text())
    problems = []
    if manifest.get("packages") != locked_versions():
        problems.append(f"vendor/ holds {manifest.get('packages')}, package-lock.json pins {locked_versions()}")
    if manifest.get("layout") != vendor_layout():
        problems.append("the vendored file list or mathjax-katex-shim.js changed since vendor/ was made")
    for name, digest in manifest.get("files", {}).items():
        path = VENDOR_DIR / name
        if not path.is_file():
            problems.append(f"slides/vendor/{name} is missing")
        elif sha256(path.read_bytes()) != digest:
            problems.append(f"slides/vendor/{name} was modified")
    return problems


def ensure_node_modules(versions: dict[str, str]) -> None:
    def installed(pkg: str) -> str | None:
        meta = NODE_MODULES / pkg / "package.json"
        return json.loads(meta.read_text()).get("version") if meta.is_file() else None

    if all(installed(pkg) == v for pkg, v in versions.items()):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("slides/vendor/ must be refreshed from npm, but npm is not installed "
                         "(Node.js 18+; Debian: apt-get install nodejs npm)")
    log("npm ci (slides/package-lock.json -> slides/node_modules)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SLIDES_DIR, check=True)
    missing = {pkg: installed(pkg) for pkg, v in versions.items() if installed(pkg) != v}
    if missing:
        raise BuildError(f"npm ci did not install the locked versions: {missing}")


def split_css_list(value: str) -> list[str]:
    """Split a CSS value on the commas that are outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(value):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def url_suffix(url: str) -> str:
    return Path(re.split(r"[?#]", url, maxsplit=1)[0]).suffix.lower()


def trim_font_formats(css: str) -> str:
    """In each @font-face keep only the woff2 sources (else woff): drops eot/ttf/otf/svg copies."""

    def face(match: re.Match) -> str:
        block = match.group(0)
        suffixes = {url_suffix(u) for _, u in CSS_URL.findall(block)}
        keep = ".woff2" if ".woff2" in suffixes else ".woff" if ".woff" in suffixes else None
        if keep is None:
            return block

        def decl(m: re.Match) -> str:
            kept = [e for e in split_css_list(m.group(1))
                    if any(url_suffix(u) == keep for _, u in CSS_URL.findall(e))]
            end = ";" if m.group(2) == ";" else ""
            return f"src:{','.join(kept)}{end}" if kept else ""

        return re.sub(r"(?<![-\w])src\s*:\s*([^;}]*)(;?)", decl, block)

    return re.sub(r"@font-face\s*\{[^}]*\}", face, css)


def is_local_url(url: str) -> bool:
    return bool(url) and not url.startswith(("data:", "#")) and not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.I)


def refresh_vendor(versions: dict[str, str]) -> None:
    ensure_node_modules(versions)
    log(f"refreshing slides/vendor/ from node_modules ({', '.join(f'{p}@{v}' for p, v in versions.items())})")
    staging = SLIDES_DIR / ".vendor.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    files: dict[str, str] = {}

    def put(dest: str, data: bytes) -> None:
        target = staging / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files[dest] = sha256(data)

    def copy(src: Path, dest: str) -> None:
        if dest in files:
            return
        if not src.is_file():
            raise BuildError(f"{src} does not exist (is node_modules complete?)")
        if src.suffix != ".css":
            put(dest, src.read_bytes())
            return
        css = trim_font_formats(src.read_text(encoding="utf-8"))
        put(dest, css.encode("utf-8"))
        for _, url in CSS_URL.findall(css) + CSS_IMPORT.findall(css):
            if url.startswith(("http:", "https:", "//")):
                raise BuildError(f"{src} loads {url} from the network: choose another theme")
            if is_local_url(url):
                path = re.split(r"[?#]", url, maxsplit=1)[0]
                copy((src.parent / unquote(path)).resolve(),
                     os.path.normpath(os.path.join(os.path.dirname(dest), unquote(path))).replace(os.sep, "/"))

    try:
        for pkg, src, dest in VENDOR_FILES:
            copy(NODE_MODULES / pkg / src, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    bundle = [f"/* minitf slides: KaTeX {versions['katex']} (MIT licence, vendor/katex/LICENSE) standing in "
              "for MathJax 2; built by slides/build.py from node_modules and slides/mathjax-katex-shim.js */"]
    for pkg, src in KATEX_BUNDLE:
        code = (NODE_MODULES / pkg / src).read_text(encoding="utf-8")
        # Hide require.js (loaded earlier by the deck): KaTeX's UMD header would otherwise call an
        # anonymous define() and never set window.katex / window.renderMathInElement.
        bundle.append(f"/* {pkg}/{src} */\n(function (define, module, exports) {{\n{code}\n}}).call(window);")
    bundle.append(SHIM.read_text(encoding="utf-8"))
    put("mathjax-katex.js", "\n".join(bundle).encode("utf-8"))

    manifest = {
        "note": "Generated by slides/build.py from slides/node_modules; do not edit (rebuild with ./dev slides).",
        "packages": versions,
        "layout": vendor_layout(),
        "files": dict(sorted(files.items())),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    shutil.rmtree(VENDOR_DIR, ignore_errors=True)
    staging.rename(VENDOR_DIR)
    size = sum((VENDOR_DIR / f).stat().st_size for f in files)
    log(f"slides/vendor/: {len(files)} files, {size / 1e6:.2f} MB")


# ---------------------------------------------------------------- decks
def notebook_fingerprint(path: Path) -> str:
    """sha256 over the notebook (minus execution timings and widget state) and the build settings."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
    payload = {"format": BUILD_FORMAT, "settings": [SETTINGS, ATTRIBUTES], "notebook": nb}
    return "sha256:" + sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def deck_fingerprint(deck: Path) -> str | None:
    if not deck.is_file():
        return None
    with deck.open(encoding="utf-8") as f:
        head = f.read(4096)
    m = re.search(rf'<meta name="{FINGERPRINT_META}" content="([^"]*)"', head)
    return m.group(1) if m else None


def deck_path(notebook: Path, out_dir: Path) -> Path:
    return out_dir / (notebook.name[: -len(".ipynb")] + DECK_SUFFIX)


def make_exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    for key, value in SETTINGS.items():
        setattr(config.SlidesExporter, key, value)
    exporter = SlidesExporter(config=config)
    for key, value in ATTRIBUTES.items():
        setattr(exporter, key, value)
    return exporter


A_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.I)


def fix_link(href: str, notebook: Path) -> str:
    """Relative links written for notebooks/ -> the same targets seen from slides/ (chapter
    notebooks -> their decks)."""
    if not is_local_url(href):
        return href
    path, rest = re.match(r"([^?#]*)(.*)", href, re.S).groups()
    if not path:
        return href
    target = (notebook.parent / unquote(path)).resolve()
    if target.suffix == ".ipynb" and target.parent == NOTEBOOK_DIR.resolve() and re.match(r"^[0-9][0-9]_", target.name):
        new = target.name[: -len(".ipynb")] + DECK_SUFFIX
    elif target.exists():
        new = os.path.relpath(target, SLIDES_DIR).replace(os.sep, "/")
    else:
        return href
    return new + rest


NBVAL_MARKER = re.compile(r"^[ \t]*#[ \t]*NBVAL_[A-Z_]+[ \t]*(?:\n|$)", re.M)


def for_slides(nb):
    """What a deck shows of a notebook: no nbval markers (they are for the tests) and errors as their
    last line ('ValueError: message'), not the whole traceback. Changes nb in place and returns it."""
    nb.metadata.pop("widgets", None)  # widget state would make the deck load widget managers from unpkg
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = NBVAL_MARKER.sub("", cell.source)
        cell.source = source if source == cell.source else source.rstrip("\n")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [f"\x1b[0;31m{out.get('ename', 'Error')}\x1b[0m: {out.get('evalue', '')}"]
    return nb


# nbconvert's reveal template inlines its notebook styles as consecutive <style> blocks in <head>.
STYLE_RUN = re.compile(r'<style type="text/css">.*?</style>(?:\s*<style type="text/css">.*?</style>)*', re.S)


def share_styles(html: str) -> tuple[str, str]:
    """(the deck linking NOTEBOOK_CSS in place of its inlined styles, those styles as one stylesheet).

    The blocks are replaced where they stood, so the cascade order (reveal.css before them, the
    reveal theme after) is unchanged.
    """
    head_end = html.find("</head>")
    runs = list(STYLE_RUN.finditer(html, 0, head_end))
    if len(runs) != 1:
        raise BuildError(f"nbconvert's reveal template changed: {len(runs)} runs of <style> blocks in <head>, "
                         "expected one")
    run = runs[0]
    blocks = re.findall(r'<style type="text/css">\n?(.*?)</style>', run.group(0), re.S)
    css = "".join(block.rstrip() + "\n\n" for block in blocks)
    link = f'<link href="{NOTEBOOK_CSS}" rel="stylesheet"/>'
    return html[:run.start()] + link + html[run.end():], css


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that; True when it wrote."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def build_deck(exporter, notebook: Path, out: Path, fingerprint: str) -> None:
    import nbformat

    nb = for_slides(nbformat.read(str(notebook), as_version=4))
    resources = {"metadata": {"name": notebook.stem, "path": str(notebook.parent)}}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    meta = f'<meta name="{FINGERPRINT_META}" content="{fingerprint}" />'
    html, n = re.subn(r"(<meta charset=\"utf-8\" ?/?>)", lambda m: m.group(1) + "\n" + meta, html, count=1)
    if n != 1:
        raise BuildError("nbconvert's reveal template changed: no <meta charset> to put the fingerprint after")
    html = A_HREF.sub(lambda m: m.group(1) + fix_link(m.group(2), notebook) + m.group(3), html)
    html, css = share_styles(html)
    if write_if_changed(out.parent / NOTEBOOK_CSS, css):
        log(f"wrote {rel(out.parent / NOTEBOOK_CSS)}")
    write_if_changed(out, html)


def find_notebooks() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob(NOTEBOOK_GLOB))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    ap.add_argument("--force", action="store_true", help="rebuild every deck")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is stale")
    ap.add_argument("--out-dir", type=Path, default=SLIDES_DIR, help="where the decks go (default: slides/)")
    ap.add_argument("--skip-vendor", action="store_true", help="leave slides/vendor/ alone (no npm)")
    args = ap.parse_args(argv)
    start = time.monotonic()
    out_dir = args.out_dir.resolve()
    notebooks = [p.resolve() for p in args.notebooks] or find_notebooks()
    problems: list[str] = []

    try:
        if not args.skip_vendor:
            vendor = vendor_problems()
            if vendor and args.check:
                problems += vendor
            elif vendor:
                for line in vendor:
                    log(line)
                refresh_vendor(locked_versions())

        exporter = None
        built = 0
        for nb in notebooks:
            if not nb.is_file():
                raise BuildError(f"{nb} does not exist")
            out = deck_path(nb, out_dir)
            fingerprint = notebook_fingerprint(nb)
            if not args.force and deck_fingerprint(out) == fingerprint:
                continue
            if args.check:
                problems.append(f"{rel(out)} is {'stale' if out.exists() else 'missing'} (notebook {rel(nb)})")
                continue
            exporter = exporter or make_exporter()
            t0 = time.monotonic()
            build_deck(exporter, nb, out, fingerprint)
            built += 1
            log(f"{rel(nb)} -> {rel(out)} ({time.monotonic() - t0:.1f}s)")

        if notebooks and not (out_dir / NOTEBOOK_CSS).is_file():
            if args.check:
                problems.append(f"{rel(out_dir / NOTEBOOK_CSS)} is missing (every deck links it)")
            else:  # (the decks are current but the shared stylesheet was deleted: build one to write it)
                build_deck(exporter or make_exporter(), notebooks[0], deck_path(notebooks[0], out_dir),
                           notebook_fingerprint(notebooks[0]))

        if not args.notebooks and out_dir.is_dir():  # decks whose notebook was renamed or deleted
            expected = {deck_path(nb, out_dir).name for nb in notebooks}
            for deck in sorted(out_dir.iterdir()):
                if DECK_RE.match(deck.name) and deck.name not in expected:
                    if args.check:
                        problems.append(f"{rel(deck)} has no notebook in notebooks/")
                    else:
                        deck.unlink()
                        log(f"removed {rel(deck)} (no notebook)")
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"slides: error: {exc}", file=sys.stderr)
        return 1

    if args.check:
        for line in problems:
            print(f"slides: {line}", file=sys.stderr)
        if problems:
            print("slides: run ./dev slides to rebuild", file=sys.stderr)
            return 1
        log(f"{len(notebooks)} deck(s) up to date")
        return 0
    log(f"{built} built, {len(notebooks) - built} up to date, in {time.monotonic() - start:.1f}s"
        + ("" if notebooks else " (no notebooks/NN_*.ipynb yet)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
