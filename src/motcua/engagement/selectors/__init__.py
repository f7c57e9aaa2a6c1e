"""Reads of engagement, one module per subject: ``ratings``, ``petitions``; the others take their own."""

from .ratings import agency_ratings, can_rate, lines, rating_of, readable_rating, summary

__all__ = ["agency_ratings", "can_rate", "lines", "rating_of", "readable_rating", "summary"]
