"""The bottom floor: the dataset contract, pages as read and normalized, the document text, errors,
the change record. Imports nothing of the project."""
