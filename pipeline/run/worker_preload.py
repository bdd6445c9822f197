"""What every local document worker loads, loaded once: the module the fork server of a run's document
workers imports (document_workers, `ProcessPools(preload=...)`), and nothing else imports.

Importing it does the work, because a fork server can only be told which modules to import: the
pipeline's stages and what most plans' first document loads on first use (the agency name patterns,
underthesea's tagger), ~1.3 s of CPU that each spawned worker paid for itself, here paid once and shared
by every worker forked afterwards. The loaded objects are then frozen out of the garbage collector's
walks (a worker's collections no longer visit them, nor copy their memory pages by touching them), and
the server ends without tearing them down when its run stops it. A run killed outright takes the server
with it: the server watches the run (parent_watch) and stops the workers forked from it (each worker
watches the server; the server's end, not the run's, is what a worker can see: it holds the server's
lifeline open itself).
"""

from __future__ import annotations

import atexit
import gc

from pipeline.compute.parent_watch import exit_with_parent
from pipeline.compute.process_pools import exit_without_teardown
from pipeline.convert import first_document_loads, warm_up

atexit.register(exit_without_teardown)
exit_with_parent()  # a thread that only sleeps and asks for its parent: safe to fork beside
warm_up(model=False)
for _load in first_document_loads():
    _load()
gc.freeze()
