#!/bin/sh
# Debian packages briefgen uses, installed when missing (as root, with apt-get); otherwise a hint.
#   render: libharfbuzz-subset0 — WeasyPrint subsets fonts with it several times faster than with
#           its fontTools fallback (see README "Speed"); briefgen works without it, just slower.
#   test:   poppler-utils (pdftotext, pdfinfo, pdffonts), cmark-gfm and pandoc — the tests read the
#           PDFs and render the Markdown with the engines wikis use; qpdf finds attachments by name;
#           mupdf-tools (mutool) reads the PDFs as a strict reader does; ghostscript (gs) renders
#           them as Linux printing (CUPS) does; chromium opens the screen page (through
#           Playwright, which is pointed at /usr/bin/chromium); libreoffice-writer-nogui (soffice)
#           lays out the Word handouts, as a reader's word processor would.
set -eu
want=""
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
case "${1:-render}" in
  render) has_lib libharfbuzz-subset.so.0 || want="libharfbuzz-subset0" ;;
  test)
    has_lib libharfbuzz-subset.so.0 || want="libharfbuzz-subset0"
    command -v pdftotext >/dev/null || want="$want poppler-utils"
    command -v cmark-gfm >/dev/null || want="$want cmark-gfm"
    command -v pandoc >/dev/null || want="$want pandoc"
    command -v qpdf >/dev/null || want="$want qpdf"
    command -v mutool >/dev/null || want="$want mupdf-tools"
    command -v gs >/dev/null || want="$want ghostscript"
    command -v chromium >/dev/null || want="$want chromium"
    command -v soffice >/dev/null || want="$want libreoffice-writer-nogui"
    ;;
  *) echo "usage: $0 render|test" >&2; exit 2 ;;
esac
[ -z "$want" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages:$want"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $want >/dev/null
else
  echo "note: missing Debian packages:$want — install them with: sudo apt-get install$want" >&2
  [ "${1:-render}" = render ] || exit 1
fi
