"""Accuracy review: scoring against gold, the review page, review sheets."""
