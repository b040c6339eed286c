"""Qiaopi knowledge: place and agent authorities, curator suggestions, correspondence network."""
