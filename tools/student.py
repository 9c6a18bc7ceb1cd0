"""Build the student edition: the site without solutions, into ``_build/student/html``.

``make student`` runs this.  It writes a student configuration derived from
``_config.yml`` into ``_build/student/_config.yml`` that

* loads ``book/_ext/liqstudent.py``, which removes every solution from each page's
  doctree after the page is executed (so no page, image or search-index entry holds one);
* executes the *unmodified* pages with the full book's jupyter-cache
  (``_build/.jupyter_cache``, keyed to the package as ``make book`` keys it): after
  ``make book`` every page is a cache hit and nothing runs again;
* sets ``html_copy_source: false`` and ``html_show_sourcelink: false`` (``_sources/``
  would carry the solutions), hides the download button and drops the launch,
  repository, issues and edit buttons (they lead to the full sources);

then runs ``jupyter-book build`` with it (strict: ``-W -n --keep-going``) into its own
folder (its Sphinx environment, doctrees and failed-build marker are kept apart from the
full book's by ``tools/prepare.py``), moves the HTML to
``_build/student/html`` and scans the result: a built page with a solution node, a
``_sources`` folder, a ``.ipynb``/``.md`` download or a launch link fails the build.
myst-nb's executed copies of the notebooks (with solutions) are deleted after the build.

    python tools/student.py [--out _build/student] [--no-strict]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "book" / "_ext"
MAIN_BUILD = ROOT / "_build"   # `make book`'s build folder

sys.path.insert(0, str(ROOT / "tools"))
import prepare  # noqa: E402  the same cache keying and failed-build handling as `make book`

# What may not appear in the student site (checked after every build).
FORBIDDEN = {
    "solution node": re.compile(r'class="[^"]*\bsolution\b'),
    "launch button": re.compile(r'class="[^"]*\b(dropdown-launch-buttons|btn-launch)'),
    "download button": re.compile(r'class="[^"]*\b(dropdown-download-buttons|btn-download)'),
    "repository button": re.compile(r'class="[^"]*\bbtn-source-(repository|issues|edit)'),
    "source link": re.compile(r'href="[^"]*_sources/'),
}


def relocated_config(config: dict) -> dict:
    """The full book's configuration, usable from a configuration file in another folder
    (a separate build: the student edition, the print editions of ``tools/pdf.py``),
    sharing the full book's execution cache."""
    cfg = yaml.safe_load(yaml.safe_dump(config))  # deep copy
    excluded = cfg.setdefault("exclude_patterns", [])
    excluded += [p for p in (".pytest_cache", "**/.pytest_cache") if p not in excluded]
    # the pages are executed unmodified (solutions go from the doctree afterwards), so the
    # full book's cache holds exactly these notebooks: share it
    cfg.setdefault("execute", {})["cache"] = str(shared_cache(config))
    sphinx = cfg.setdefault("sphinx", {})
    # local extension paths are resolved against the config file's folder: make them absolute
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in (sphinx.get("local_extensions") or {}).items()}
    return cfg


def student_config(config: dict, out: Path) -> dict:
    """The full book's configuration, turned into the student edition's."""
    cfg = relocated_config(config)
    cfg["title"] = f"{cfg.get('title', 'liqlearn')} (student edition)"
    html = cfg.setdefault("html", {})
    html.update(use_download_button=False, use_repository_button=False,
                use_issues_button=False, use_edit_page_button=False)
    cfg["launch_buttons"] = {"binderhub_url": "", "jupyterhub_url": "", "colab_url": "",
                             "thebe": False, "notebook_interface": "classic"}
    # No repository: nothing on the page may lead to the full sources.
    cfg.pop("repository", None)
    sphinx = cfg["sphinx"]
    sphinx["local_extensions"]["liqstudent"] = str(EXT)
    conf = sphinx.setdefault("config", {})
    conf.update(html_copy_source=False, html_show_sourcelink=False)
    return cfg


def shared_cache(config: dict) -> Path:
    """The full book's jupyter-cache: ``execute.cache`` or myst-nb's default beside
    ``_build/html``."""
    path = (config.get("execute") or {}).get("cache") or MAIN_BUILD / ".jupyter_cache"
    return (ROOT / path).resolve()


def scan(html_dir: Path) -> list[str]:
    """Problems found in a built student site (empty when clean)."""
    problems = []
    if (html_dir / "_sources").exists():
        problems.append("_sources/ exists (html_copy_source must be false)")
    for path in sorted(html_dir.rglob("*")):
        if path.suffix in (".ipynb", ".md") and path.is_file() and "_static" not in path.parts:
            problems.append(f"{path.relative_to(html_dir)}: page source in the site")
        if path.suffix in (".html", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for what, pattern in FORBIDDEN.items():
                if pattern.search(text):
                    problems.append(f"{path.relative_to(html_dir)}: {what}")
    return problems


def run_jupyter_book(args: list[str], strict: bool = True) -> None:
    """``jupyter-book build ROOT ARGS`` (strict: ``-W -n --keep-going``), worked solutions
    checked (``LIQLEARN_STRICT_CHECKS``); raises CalledProcessError when it fails."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb if jb.exists() else "jupyter-book"), "build", str(ROOT), *args]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    env = {**os.environ, "LIQLEARN_STRICT_CHECKS": os.environ.get("LIQLEARN_STRICT_CHECKS", "1")}
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)


def book_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def build(out: Path, strict: bool = True, builder: str = "html", cfg: dict | None = None,
          generator: str = "tools/student.py") -> Path:
    """Build the book with ``cfg`` (default: the student edition's) into ``out/<builder>``."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if cfg is None:
        cfg = student_config(book_config(), out)
    cfg_path = out / "_config.yml"
    cfg_path.write_text(f"# Generated by {generator} from _config.yml: do not edit.\n"
                        + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
    args = ["--config", str(cfg_path), "--toc", str(ROOT / "_toc.yml"),
            "--path-output", str(out), "--builder", builder]
    # key the shared cache (stamp beside it, as `make book` keeps it), then this build's own
    # stamp: a changed package re-reads every page, whose outputs come from the shared cache
    shared = Path(cfg["execute"]["cache"])
    if prepare.key_to_package(shared.parent, shared):
        # the main build must then re-read its pages too, or they keep the old outputs
        for doctrees in (shared.parent / ".doctrees", shared.parent / "html" / ".doctrees"):
            shutil.rmtree(doctrees, ignore_errors=True)
    prepare.before(out / "_build")
    # the student edition's own cache of earlier versions: no longer used
    shutil.rmtree(out / "_build" / ".jupyter_cache", ignore_errors=True)
    # a fresh output folder: Sphinx never deletes pages that are no longer built
    shutil.rmtree(out / "_build" / builder, ignore_errors=True)
    try:
        run_jupyter_book(args, strict)
    finally:
        # myst-nb's copies of the executed notebooks hold the solutions (the images beside
        # them are the site's figures and stay): the student folder keeps no solution
        for nb in (out / "_build" / "jupyter_execute").rglob("*.ipynb"):
            nb.unlink()
    prepare.succeeded(out / "_build")
    site = out / builder
    if site.exists():
        shutil.rmtree(site)
    os.replace(out / "_build" / builder, site)
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student",
                        help="output folder; the site goes to OUT/html")
    parser.add_argument("--no-strict", action="store_true",
                        help="build without -W -n (warnings do not fail the build)")
    args = parser.parse_args(argv)
    try:
        html = build(args.out, strict=not args.no_strict)
    except subprocess.CalledProcessError as exc:
        print(f"student edition: jupyter-book failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    problems = scan(html)
    if problems:
        print("student edition is NOT clean:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"\nBuilt the student edition (no solutions): open {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
