"""Vendor the site's third-party assets: MathJax 3, the Font Awesome SVG sources (for the
icon subset) and a symbol font.

``python tools/vendor.py`` takes the packages with ``npm pack`` (versions pinned in
``book/_ext/liqbook.py``), unpacks the files a page needs into ``static_vendor/liqvendor/`` (not committed;
not a ``_static/`` folder, which Jupyter Book would inject into every page) and writes
``VERSIONS.json`` there.  It does nothing when that folder already holds these versions.

When npm is missing or the registry cannot be reached it stops with what went wrong (exit
1): there is no CDN fallback, and the book's build stops too without this folder.
``make vendor`` installs Debian's npm first where it is missing.

The explorers need no third-party JavaScript: their front end is the package's own
(``liqlearn/explorers/static/``, mounted by ``book/_ext/liqexplorers.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from liqbook import FONTAWESOME, MATHJAX, SYMBOL_FONT, VERSIONS  # noqa: E402  (the pins live there)

VENDOR = ROOT / "static_vendor" / "liqvendor"
MANIFEST = "VERSIONS.json"

# npm package -> (version, folder under liqvendor/, files to keep: globs relative to package/)
PACKAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "mathjax": (MATHJAX, "mathjax", (
        "LICENSE",
        "es5/startup.js",                 # the loader Sphinx loads (liqbook sets what it loads)
        "es5/core.js",                    # ... core, TeX input, CommonHTML output, assistive MathML
        "es5/input/*",                    # TeX extensions loaded on demand (autoload)
        "es5/output/chtml/*",             # CommonHTML fonts, fetched relative to the script
        "es5/output/chtml.js",
        "es5/ui/*",                       # the right-click menu and lazy typesetting
        "es5/a11y/*",                     # accessibility explorer (menu option)
        "es5/sre/*",                      # speech rule engine used by a11y
    )),
    # SVG sources only, in a dot-folder Sphinx does not copy into the site: the liqicons
    # extension builds a CSS subset of the icons the pages show from them.
    "@fortawesome/fontawesome-free": (FONTAWESOME, ".fontawesome", (
        "LICENSE.txt",
        "metadata/icons.yml",             # aliases (the theme writes fa-pencil-alt etc.)
        "svgs/solid/*.svg", "svgs/regular/*.svg", "svgs/brands/*.svg",
    )),
    # Noto Sans Symbols, its "symbols" subset (Enclosed Alphanumerics: U+24C8), regular and bold
    "@fontsource/noto-sans-symbols": (SYMBOL_FONT, "fonts", (
        "LICENSE",
        "files/noto-sans-symbols-symbols-400-normal.woff*",   # woff2, and woff as fallback
        "files/noto-sans-symbols-symbols-700-normal.woff*",
    )),
}


def wanted_versions() -> dict[str, str]:
    """What liqvendor/ must hold: liqbook's VERSIONS (the pins, and the layout of the files)."""
    return dict(VERSIONS)


def present() -> bool:
    """True when liqvendor/ holds exactly the pinned versions."""
    try:
        return json.loads((VENDOR / MANIFEST).read_text()) == wanted_versions()
    except (OSError, ValueError):
        return False


def _extract(tgz: Path, dest: Path, globs: tuple[str, ...]) -> int:
    n = 0
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("package/"):
                continue
            rel = member.name[len("package/"):]
            if not any(fnmatch(rel, g) for g in globs):
                continue
            if ".." in Path(rel).parts:
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            n += 1
    return n


def vendor() -> int:
    if present():
        print(f"[vendor] {VENDOR.relative_to(ROOT)} is up to date "
              + ", ".join(f"{k}@{v}" for k, v in wanted_versions().items()))
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("[vendor] npm not found: the site's assets come from npm (`make vendor` installs "
              "Debian's npm, or install it yourself)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="liqvendor-") as tmp:
        tmpdir = Path(tmp)
        specs = [f"{name}@{version}" for name, (version, _, _) in PACKAGES.items()]
        print(f"[vendor] npm pack {' '.join(specs)}")
        proc = subprocess.run([npm, "pack", "--silent", "--json", *specs], cwd=tmpdir,
                              capture_output=True, text=True, timeout=300, check=False)
        if proc.returncode != 0:
            print(f"[vendor] `npm pack` failed (is the npm registry reachable?):\n"
                  f"{proc.stderr.strip()[-800:]}", file=sys.stderr)
            return 1
        packed = {entry["name"]: tmpdir / entry["filename"] for entry in json.loads(proc.stdout)}
        staging = tmpdir / "liqvendor"
        for name, (version, folder, globs) in PACKAGES.items():
            n = _extract(packed[name], staging / folder, globs)
            print(f"[vendor]   {name}@{version}: {n} files -> liqvendor/{folder}/")
        (staging / MANIFEST).write_text(json.dumps(wanted_versions(), indent=2) + "\n")
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        VENDOR.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), VENDOR)
    print(f"[vendor] done: {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(vendor())
