"""The dataset: the contract's output folder, written atomically."""
