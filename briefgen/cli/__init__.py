"""The `briefgen` command line: a thin layer over the library (see commands.py)."""

import gc

from briefgen.collector import freeze_for_good

# Importing the command line's modules makes ~140,000 objects that live as long as the process
# (modules, classes, the models' validators). The cyclic collector would scan them again and again
# while they are made (~20 ms of every command's start) and at each full collection after: it waits
# until they are imported, and then leaves them out of its collections (frozen).
_collecting = gc.isenabled()
gc.disable()
try:
    from briefgen.cli.commands import app, main
finally:
    freeze_for_good()
    if _collecting:
        gc.enable()

__all__ = ["app", "main"]
