"""vnplan's Prefect flows, for Prefect users (deployments, `prefect deploy flows.py:ingest`).

They are defined in pipeline/run/flows.py, beside the run they belong to; `vnplan ingest` and
`pipeline.ingest()` run the same flows.
"""

from pipeline.run.flows import ingest, process_document, reprocess_document, reprocess_flow

__all__ = ["ingest", "process_document", "reprocess_document", "reprocess_flow"]
