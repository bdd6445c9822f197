"""Running batches: one document of a batch, where documents run (here, worker processes, Dask),
Prefect's environment and server, reprocessing."""
